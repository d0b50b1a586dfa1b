import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ConfigModule } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import { FileEntity, FileProcessingService, FilesModule, incomingKey, storedKey } from '@depot/files';
import { QueueModule } from '@depot/queue';
import { type Disk, StorageModule, StorageService } from '@depot/storage';
import { WebhookDeliveryEntity, WebhookEntity } from '@depot/webhooks';
import { seedFile } from '../support/seed-file';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * FileProcessingService on the real database and local disk: processing is idempotent,
 * survives a crash at any step, and does not resurrect a file deleted under it.
 */
describe('file processing (real database and local disk)', () => {
  let harness: WorkerHarness;
  let processing: FileProcessingService;
  let disk: Disk;
  let tenantId: string;

  beforeAll(async () => {
    harness = await startWorkerHarness('file-processing', {
      imports: [ConfigModule, DatabaseModule, QueueModule, StorageModule.forRootAsync(), FilesModule],
    });
    processing = harness.module.get(FileProcessingService);
    disk = harness.module.get(StorageService).disk();
    tenantId = await harness.tenant();
    // Subscribed to everything, so each settled file records exactly one delivery.
    await subscribe(tenantId, ['file.ready', 'file.failed', 'file.deleted']);
  });
  afterAll(() => harness.close());

  const subscribe = (tenant: string, events: WebhookEntity['events']) =>
    harness.dataSource.getRepository(WebhookEntity).insert({
      id: randomUUID(),
      tenantId: tenant,
      url: 'https://receiver.example/hook',
      events,
      secret: 'whsec_test',
    });

  const files = () => harness.dataSource.getRepository(FileEntity);
  const deliveries = (fileId: string) =>
    harness.dataSource
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder('delivery')
      .where(`delivery.payload -> 'data' ->> 'id' = :fileId`, { fileId })
      .getMany();

  /** A pending file whose bytes sit where `at` says, as an upload (or a crash) left them. */
  async function seed(
    bytes: Uint8Array,
    at: 'incoming' | 'stored' | 'nowhere' = 'incoming',
    tenant = tenantId,
  ): Promise<FileEntity> {
    return seedFile(harness.dataSource, disk, tenant, bytes, { at });
  }

  /** Processes a file that the tenant deletes while the worker reads it (just before the move). */
  async function processDeletedMeanwhile(id: string): Promise<string> {
    const move = disk.move.bind(disk);
    const spy = jest.spyOn(disk, 'move').mockImplementationOnce(async (from, to) => {
      await files().update({ id }, { status: 'deleted' });
      await move(from, to);
    });
    try {
      return await processing.process(id);
    } finally {
      spy.mockRestore();
    }
  }

  it('makes a file ready once, and a second run changes nothing', async () => {
    const bytes = randomBytes(200_000);
    const file = await seed(bytes);
    expect(await processing.process(file.id)).toBe('ready');
    const ready = await files().findOneByOrFail({ id: file.id });
    expect(ready).toMatchObject({
      status: 'ready',
      sha256: sha256(bytes),
      size: bytes.length,
      storageKey: storedKey(tenantId, file.id),
    });
    expect(await disk.exists(incomingKey(tenantId, file.id))).toBe(false);
    expect(await disk.read(storedKey(tenantId, file.id))).toEqual(bytes);

    expect(await processing.process(file.id)).toBe('unchanged');
    expect(await files().findOneByOrFail({ id: file.id })).toEqual(ready);
    const recorded = await deliveries(file.id);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ event: 'file.ready', tenantId });
    expect((recorded[0]!.payload as { data: { status: string; sha256: string } }).data).toMatchObject({
      status: 'ready',
      sha256: sha256(bytes),
    });
  });

  it('hashes and sniffs a file read in several reads, one ahead of the hash, as one read', async () => {
    // A GIF's signature, then more than the 2 MiB read area: reads of 1 MiB into its halves in turn.
    const gif = Buffer.from('GIF89a');
    const bytes = Buffer.concat([gif, randomBytes(5 * 1024 * 1024 + 7)]);
    const file = await seed(bytes);
    expect(await processing.process(file.id)).toBe('ready');
    expect(await files().findOneByOrFail({ id: file.id })).toMatchObject({
      status: 'ready',
      sha256: sha256(bytes),
      size: bytes.length,
      detectedType: 'image/gif',
    });
  });

  it('finishes a file whose bytes were moved before a crash, with the same result', async () => {
    const bytes = randomBytes(50_000);
    const file = await seed(bytes, 'stored');
    expect(await processing.process(file.id)).toBe('ready');
    expect(await files().findOneByOrFail({ id: file.id })).toMatchObject({
      status: 'ready',
      sha256: sha256(bytes),
      storageKey: storedKey(tenantId, file.id),
    });
  });

  it('picks a file up again from processing (a worker died mid-job)', async () => {
    const bytes = randomBytes(1000);
    const file = await seed(bytes);
    await files().update({ id: file.id }, { status: 'processing' });
    expect(await processing.process(file.id)).toBe('ready');
  });

  it('leaves a file ready, bytes and all, when a run that overlapped another settles second', async () => {
    // A job delivered twice (a lock that stalled under load, a requeue): the second run
    // finds the file processing with its bytes already moved, and the first settles while
    // the second reads.
    const bytes = randomBytes(5000);
    const file = await seed(bytes, 'stored');
    await files().update({ id: file.id }, { status: 'processing' });
    const scan = disk.scan.bind(disk);
    let first: Promise<string> | undefined;
    const spy = jest.spyOn(disk, 'scan').mockImplementationOnce(async (key, buffer) => {
      first = processing.process(file.id);
      await first;
      return scan(key, buffer);
    });
    try {
      expect(await processing.process(file.id)).toBe('unchanged');
    } finally {
      spy.mockRestore();
    }
    expect(await first).toBe('ready');
    expect(await files().findOneByOrFail({ id: file.id })).toMatchObject({
      status: 'ready',
      sha256: sha256(bytes),
    });
    expect(await disk.read(storedKey(tenantId, file.id))).toEqual(bytes);
    expect((await deliveries(file.id)).map((delivery) => delivery.event)).toEqual(['file.ready']);
  });

  it('fails a file whose bytes are gone, and one whose size does not match what was received', async () => {
    const gone = await seed(randomBytes(10), 'nowhere');
    expect(await processing.process(gone.id)).toBe('failed');
    expect(await files().findOneByOrFail({ id: gone.id })).toMatchObject({
      status: 'failed',
      failureReason: 'the uploaded bytes are missing from storage',
      sha256: null,
    });

    const short = await seed(randomBytes(100));
    await files().update({ id: short.id }, { size: 101 });
    expect(await processing.process(short.id)).toBe('failed');
    expect((await files().findOneByOrFail({ id: short.id })).failureReason).toMatch(
      /differs from the 101 bytes/,
    );
    expect((await deliveries(short.id)).map((delivery) => delivery.event)).toEqual(['file.failed']);
  });

  it('removes the bytes of a file deleted before or while it is processed, and records nothing', async () => {
    const before = await seed(randomBytes(100));
    await files().update({ id: before.id }, { status: 'deleted' });
    expect(await processing.process(before.id)).toBe('deleted');
    expect(await disk.exists(incomingKey(tenantId, before.id))).toBe(false);

    const during = await seed(randomBytes(100));
    expect(await processDeletedMeanwhile(during.id)).toBe('deleted');
    expect(await disk.exists(incomingKey(tenantId, during.id))).toBe(false);
    expect(await disk.exists(storedKey(tenantId, during.id))).toBe(false);
    expect((await files().findOneByOrFail({ id: during.id })).status).toBe('deleted');
    expect(await deliveries(during.id)).toEqual([]);
  });

  it('settles on its own, recording nothing, when no endpoint of the tenant takes the event', async () => {
    const quiet = await harness.tenant();
    await subscribe(quiet, ['file.failed']);
    const bytes = randomBytes(1000);
    const ready = await seed(bytes, 'incoming', quiet);
    expect(await processing.process(ready.id)).toBe('ready');
    expect(await files().findOneByOrFail({ id: ready.id })).toMatchObject({
      status: 'ready',
      sha256: sha256(bytes),
      size: bytes.length,
      storageKey: storedKey(quiet, ready.id),
    });
    expect(await disk.read(storedKey(quiet, ready.id))).toEqual(bytes);
    expect(await deliveries(ready.id)).toEqual([]);

    // The same tenant's endpoint does take file.failed.
    const failed = await seed(randomBytes(10), 'nowhere', quiet);
    expect(await processing.process(failed.id)).toBe('failed');
    expect((await deliveries(failed.id)).map((delivery) => delivery.event)).toEqual(['file.failed']);

    // Deleted while it was read: the settle changes nothing and the bytes go.
    const during = await seed(randomBytes(100), 'incoming', quiet);
    expect(await processDeletedMeanwhile(during.id)).toBe('deleted');
    expect(await disk.exists(storedKey(quiet, during.id))).toBe(false);
    expect((await files().findOneByOrFail({ id: during.id })).status).toBe('deleted');
  });

  it('does nothing for a file that no longer exists', async () => {
    expect(await processing.process(randomUUID())).toBe('missing');
  });

  it('purges wherever the bytes are, and purging twice is harmless', async () => {
    const file = await seed(randomBytes(100));
    await disk.write(storedKey(tenantId, file.id), 'copy');
    const job = { fileId: file.id, tenantId, disk: disk.name, storageKey: file.storageKey };
    await processing.purge(job);
    await processing.purge(job);
    expect(await disk.exists(incomingKey(tenantId, file.id))).toBe(false);
    expect(await disk.exists(storedKey(tenantId, file.id))).toBe(false);
  });
});
