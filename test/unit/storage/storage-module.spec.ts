import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DepotConfig } from '@depot/config';
import {
  type DiskOperationEvent,
  ExpiredLinkError,
  InvalidLinkError,
  LinkSigner,
  ScopedDisk,
  StorageHealthIndicator,
  StorageModule,
  StorageService,
} from '@depot/storage';

const config = {
  api: { publicUrl: 'https://depot.example.com' },
  storage: {
    default: 'primary',
    signingSecret: 'module-test-signing-secret-0123456789abcdef',
    disks: { primary: { driver: 'memory' }, archive: { driver: 'memory' } },
  },
};

@Injectable()
class Recorder {
  readonly events: DiskOperationEvent[] = [];
}

@Module({ providers: [Recorder], exports: [Recorder] })
class RecorderModule {}

async function start(storageModule = StorageModule.forRootAsync()) {
  const moduleRef = await Test.createTestingModule({ imports: [storageModule] })
    .overrideProvider(DepotConfig)
    .useValue(config)
    .compile();
  await moduleRef.init();
  return moduleRef;
}

describe('StorageModule', () => {
  it('builds the configured disks, the default one first in line', async () => {
    const moduleRef = await start();
    const storage = moduleRef.get(StorageService);
    expect(storage.disk().name).toBe('primary');
    expect(storage.disk('archive').name).toBe('archive');
    expect(() => storage.disk('nope')).toThrow('no disk named "nope"; configured: primary, archive');
    await moduleRef.close();
  });

  it('signs download links on the api public URL and resolves them back to the disk', async () => {
    const moduleRef = await start();
    const storage = moduleRef.get(StorageService);
    const tenant = new ScopedDisk(storage.disk(), 'tenants/t1');
    await tenant.write('files/f1', 'content');

    const url = await tenant.signedUrl('files/f1', { expiresIn: 60, downloadName: 'f1.txt' });
    expect(url).toMatch(/^https:\/\/depot\.example\.com\/v1\/downloads\/[\w-]+\.[\w-]+$/);
    const { link, disk } = storage.resolveLink(url.split('/').pop() ?? '');
    expect(link).toMatchObject({ disk: 'primary', key: 'tenants/t1/files/f1', downloadName: 'f1.txt' });
    expect((await disk.read(link.key)).toString()).toBe('content');

    expect(() => storage.resolveLink('forged.token')).toThrow(InvalidLinkError);
    const past = new LinkSigner(config.storage.signingSecret, { now: () => Date.now() - 3_600_000 });
    expect(() => storage.resolveLink(past.sign({ disk: 'primary', key: 'k' }, 60))).toThrow(ExpiredLinkError);
    expect(moduleRef.get(LinkSigner)).toBeInstanceOf(LinkSigner);
    await moduleRef.close();
  });

  it('checks the default disk for readiness', async () => {
    const moduleRef = await start();
    const indicator = moduleRef.get(StorageHealthIndicator);
    expect(indicator.name).toBe('storage');
    await expect(indicator.check()).resolves.toBeUndefined();
    await moduleRef.close();
  });

  it('reports every disk operation to an observer provided by the app', async () => {
    const moduleRef = await start(
      StorageModule.forRootAsync({
        imports: [RecorderModule],
        inject: [Recorder],
        useFactory: (recorder: Recorder) => ({ observer: (event) => recorder.events.push(event) }),
      }),
    );
    await moduleRef.get(StorageService).disk('archive').write('a', 'a');
    expect(moduleRef.get(Recorder).events).toEqual([
      expect.objectContaining({ disk: 'archive', operation: 'write', error: undefined }),
    ]);
    await moduleRef.close();
  });
});
