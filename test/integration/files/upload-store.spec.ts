import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Upload } from '@tus/utils';
import type { StorageConfig, UploadsConfig } from '@depot/config';
import { DriverDisk, LocalDriver, type StorageService } from '@depot/storage';
import { partialUploadKey, UploadStore } from '../../../libs/files/src/intake/upload-store';

/** The tus store on a real local disk: what reaches the device before a resumable upload becomes a file. */
describe('UploadStore on a local disk', () => {
  let root: string;
  let store: UploadStore;
  let disk: DriverDisk;
  /** The files flushed (fsync) by this process, in order, by the path their descriptor names. */
  let flushed: string[];
  let restore: () => void;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'depot-upload-store-'));
    disk = new DriverDisk('local', new LocalDriver({ root }));
    store = new UploadStore(
      { default: 'local', disks: { local: { driver: 'local', root } } } as unknown as StorageConfig,
      { expireAfterSeconds: 3600 } as UploadsConfig,
      { disk: () => disk } as unknown as StorageService,
    );
    // FileHandle's prototype, spied on for its sync: which file each flush was of, from /proc.
    const handle = await open(join(root, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(handle) as { sync: () => Promise<void> };
    await handle.close();
    const sync = prototype.sync;
    flushed = [];
    prototype.sync = function (this: { fd: number }) {
      flushed.push(readlinkSync(`/proc/self/fd/${this.fd}`));
      return sync.call(this);
    };
    restore = () => (prototype.sync = sync);
  });
  afterEach(async () => {
    restore();
    await rm(root, { recursive: true, force: true });
  });

  it('flushes a complete upload to the device before it moves to its key, and keeps every byte', async () => {
    const bytes = randomBytes(300_000);
    const key = partialUploadKey('f1');
    await store.datastore.create(new Upload({ id: key, size: bytes.length, offset: 0 }));
    await store.datastore.write(Readable.from([bytes.subarray(0, 100_000)]), key, 0);
    await store.datastore.write(Readable.from([bytes.subarray(100_000)]), key, 100_000);
    expect(flushed).not.toContain(join(root, key)); // a PATCH is not flushed on its own

    await store.assemble('f1', 'incoming/t1/f1');

    expect(flushed).toEqual([join(root, key)]);
    expect(await readFile(join(root, 'incoming/t1/f1'))).toEqual(bytes);
    await expect(disk.exists(key)).resolves.toBe(false);
  });

  it('reports an upload whose bytes are gone as the disk does', async () => {
    await expect(store.assemble('gone', 'incoming/t1/gone')).rejects.toMatchObject({
      name: 'FileNotFoundError',
    });
  });
});
