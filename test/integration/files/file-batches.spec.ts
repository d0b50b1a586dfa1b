import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ConfigModule } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import {
  BucketEntity,
  FileEntity,
  FileProcessingService,
  FilesModule,
  incomingKey,
  storedKey,
} from '@depot/files';
import { QueueModule } from '@depot/queue';
import { type Disk, StorageModule, StorageService } from '@depot/storage';
import { WebhookDeliveryEntity, WebhookEntity } from '@depot/webhooks';
import { FilesRepository } from '../../../libs/files/src/files.repository';
import { seedFile, type SeedFileOptions } from '../support/seed-file';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000)]);

/**
 * FileProcessingService.processMany on the real database and local disk: one claim and one
 * settle for many files, each file ending as `process` alone would end it, and one file's
 * failure its own.
 */
describe('file processing in batches (real database and local disk)', () => {
  let harness: WorkerHarness;
  let processing: FileProcessingService;
  let disk: Disk;
  let subscribed: string;
  let quiet: string;

  beforeAll(async () => {
    harness = await startWorkerHarness('file-batches', {
      imports: [ConfigModule, DatabaseModule, QueueModule, StorageModule.forRootAsync(), FilesModule],
    });
    processing = harness.module.get(FileProcessingService);
    disk = harness.module.get(StorageService).disk();
    subscribed = await harness.tenant();
    quiet = await harness.tenant();
    await harness.dataSource.getRepository(WebhookEntity).insert({
      id: randomUUID(),
      tenantId: subscribed,
      url: 'https://receiver.example/hook',
      events: ['file.ready', 'file.failed', 'file.deleted'],
      secret: 'whsec_test',
    });
  });
  afterAll(() => harness.close());

  const files = () => harness.dataSource.getRepository(FileEntity);
  const deliveries = (fileId: string) =>
    harness.dataSource
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder('delivery')
      .where(`delivery.payload -> 'data' ->> 'id' = :fileId`, { fileId })
      .getMany();
  const events = async (fileId: string) => (await deliveries(fileId)).map((delivery) => delivery.event);

  /** processMany on files whose jobs carry no request id. */
  const processMany = (ids: readonly string[], concurrency: number) =>
    processing.processMany(
      ids.map((fileId) => ({ fileId })),
      concurrency,
    );

  /** A file whose bytes sit where `at` says, as an upload (or a crash) left them. */
  async function seed(
    bytes: Uint8Array,
    { tenant = subscribed, ...options }: SeedFileOptions & { tenant?: string } = {},
  ): Promise<FileEntity> {
    return seedFile(harness.dataSource, disk, tenant, bytes, options);
  }

  async function imagesBucket(tenant: string): Promise<string> {
    const id = randomUUID();
    await harness.dataSource.getRepository(BucketEntity).insert({
      id,
      tenantId: tenant,
      name: `images-${id.slice(0, 8)}`,
      allowedTypes: ['image/*'],
    });
    return id;
  }

  it('ends each file of a mixed batch as process alone would, with deliveries for the subscribed tenant only', async () => {
    const pendingBytes = randomBytes(3000);
    const pending = await seed(pendingBytes);
    const quietBytes = randomBytes(4000);
    const quietFile = await seed(quietBytes, { tenant: quiet });
    const movedBytes = randomBytes(500);
    const moved = await seed(movedBytes, { at: 'stored', status: 'processing' });
    const ready = await seed(randomBytes(10), { at: 'stored', status: 'ready' });
    const deleted = await seed(randomBytes(10), { status: 'deleted' });
    const missing = randomUUID();
    const refused = await seed(PDF, { bucketId: await imagesBucket(subscribed) });
    const short = await seed(randomBytes(100));
    await files().update({ id: short.id }, { size: 101 });
    const gone = await seed(randomBytes(10), { at: 'nowhere', tenant: quiet });

    const ids = [pending, quietFile, moved, ready, deleted, missing, refused, short, gone].map((file) =>
      typeof file === 'string' ? file : file.id,
    );
    const outcomes = await processMany(ids, 2);
    expect(outcomes).toEqual(
      ['ready', 'ready', 'ready', 'unchanged', 'deleted', 'missing', 'failed', 'failed', 'failed'].map(
        (value) => ({ ok: true, value }),
      ),
    );

    expect(await files().findOneByOrFail({ id: pending.id })).toMatchObject({
      status: 'ready',
      sha256: sha256(pendingBytes),
      size: pendingBytes.length,
      storageKey: storedKey(subscribed, pending.id),
    });
    expect((await disk.read(storedKey(subscribed, pending.id))).equals(pendingBytes)).toBe(true);
    expect(await disk.exists(incomingKey(subscribed, pending.id))).toBe(false);
    expect(await files().findOneByOrFail({ id: quietFile.id })).toMatchObject({
      status: 'ready',
      sha256: sha256(quietBytes),
      storageKey: storedKey(quiet, quietFile.id),
    });
    expect(await files().findOneByOrFail({ id: moved.id })).toMatchObject({
      status: 'ready',
      sha256: sha256(movedBytes),
    });
    expect((await files().findOneByOrFail({ id: ready.id })).sha256).toBeNull();
    expect(await disk.exists(incomingKey(subscribed, deleted.id))).toBe(false);
    expect(await files().findOneByOrFail({ id: refused.id })).toMatchObject({
      status: 'failed',
      failureReason: 'the content is application/pdf, a type its bucket does not accept',
      detectedType: 'application/pdf',
    });
    // Refused bytes move too, as with process.
    expect(await disk.exists(storedKey(subscribed, refused.id))).toBe(true);
    expect((await files().findOneByOrFail({ id: short.id })).failureReason).toMatch(
      /differs from the 101 bytes/,
    );
    expect(await files().findOneByOrFail({ id: gone.id })).toMatchObject({
      status: 'failed',
      failureReason: 'the uploaded bytes are missing from storage',
    });

    expect(await events(pending.id)).toEqual(['file.ready']);
    expect(await events(moved.id)).toEqual(['file.ready']);
    expect(await events(refused.id)).toEqual(['file.failed']);
    expect(await events(short.id)).toEqual(['file.failed']);
    const [delivery] = await deliveries(pending.id);
    expect((delivery!.payload as { data: { status: string; sha256: string } }).data).toMatchObject({
      status: 'ready',
      sha256: sha256(pendingBytes),
    });
    for (const id of [quietFile.id, gone.id, ready.id, deleted.id]) expect(await events(id)).toEqual([]);

    // A second batch of the same files changes nothing.
    const again = await processMany([pending.id, quietFile.id, refused.id], 2);
    expect(again.map((outcome) => outcome.ok && outcome.value)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(await events(pending.id)).toEqual(['file.ready']);
  });

  it('settles on the pool, recording nothing, when no tenant in the batch takes its events', async () => {
    const first = await seed(randomBytes(100), { tenant: quiet });
    const second = await seed(randomBytes(200), { tenant: quiet });
    expect(await processMany([first.id, second.id], 4)).toEqual([
      { ok: true, value: 'ready' },
      { ok: true, value: 'ready' },
    ]);
    expect(await events(first.id)).toEqual([]);
  });

  it('removes the bytes of a file deleted while its batch ran, and settles the others', async () => {
    const kept = await seed(randomBytes(100));
    const during = await seed(randomBytes(100));
    const move = disk.move.bind(disk);
    const spy = jest.spyOn(disk, 'move').mockImplementation(async (from, to) => {
      if (from === incomingKey(subscribed, during.id))
        await files().update({ id: during.id }, { status: 'deleted' });
      await move(from, to);
    });
    try {
      expect(await processMany([kept.id, during.id], 2)).toEqual([
        { ok: true, value: 'ready' },
        { ok: true, value: 'deleted' },
      ]);
    } finally {
      spy.mockRestore();
    }
    expect(await disk.exists(storedKey(subscribed, during.id))).toBe(false);
    expect((await files().findOneByOrFail({ id: during.id })).status).toBe('deleted');
    expect(await events(during.id)).toEqual([]);
    expect((await files().findOneByOrFail({ id: kept.id })).status).toBe('ready');
  });

  it("keeps one file's storage failure to that file: the others settle, and it is processed on its next run", async () => {
    const before = randomBytes(300);
    const first = await seed(before);
    const broken = await seed(randomBytes(400));
    const last = await seed(randomBytes(500));
    const failure = new Error('disk unavailable');
    const move = disk.move.bind(disk);
    const spy = jest.spyOn(disk, 'move').mockImplementation(async (from, to) => {
      if (from === incomingKey(subscribed, broken.id)) throw failure;
      await move(from, to);
    });
    let outcomes;
    try {
      outcomes = await processMany([first.id, broken.id, last.id], 2);
    } finally {
      spy.mockRestore();
    }
    expect(outcomes).toEqual([
      { ok: true, value: 'ready' },
      { ok: false, error: failure },
      { ok: true, value: 'ready' },
    ]);
    expect((await files().findOneByOrFail({ id: first.id })).sha256).toBe(sha256(before));
    // Claimed, not settled: processing, its bytes where they were, as after a crash.
    expect((await files().findOneByOrFail({ id: broken.id })).status).toBe('processing');
    expect(await disk.exists(incomingKey(subscribed, broken.id))).toBe(true);
    expect(await processMany([broken.id], 2)).toEqual([{ ok: true, value: 'ready' }]);
  });

  it('gives a failed settle to every file it would have settled, and none is lost', async () => {
    const first = await seed(randomBytes(100));
    const second = await seed(randomBytes(100));
    const failure = new Error('connection terminated');
    const settle = jest
      .spyOn(harness.module.get(FilesRepository, { strict: false }), 'settleMany')
      .mockRejectedValueOnce(failure);
    let outcomes;
    try {
      outcomes = await processMany([first.id, second.id, randomUUID()], 2);
    } finally {
      settle.mockRestore();
    }
    expect(outcomes).toEqual([
      { ok: false, error: failure },
      { ok: false, error: failure },
      { ok: true, value: 'missing' },
    ]);
    // Moved, not settled: the next run finds the bytes in files/ and ends them ready.
    expect(await disk.exists(storedKey(subscribed, first.id))).toBe(true);
    expect((await files().findOneByOrFail({ id: first.id })).status).toBe('processing');
    expect((await processMany([first.id, second.id], 2)).map((outcome) => outcome.ok)).toEqual([true, true]);
    expect((await files().findOneByOrFail({ id: second.id })).status).toBe('ready');
  });

  it("dispatches each file's webhook deliveries with its own upload's request id", async () => {
    const first = await seed(PDF);
    const second = await seed(PDF);
    const outcomes = await processing.processMany(
      [
        { fileId: first.id, requestId: 'upload-of-first' },
        { fileId: second.id, requestId: 'upload-of-second' },
      ],
      2,
    );
    expect(outcomes).toEqual([
      { ok: true, value: 'ready' },
      { ok: true, value: 'ready' },
    ]);
    for (const [file, requestId] of [
      [first, 'upload-of-first'],
      [second, 'upload-of-second'],
    ] as const) {
      const [delivery] = await deliveries(file.id);
      const job = await harness.jobs.queue('webhooks').getJob(delivery!.id);
      expect(job?.data).toEqual({ deliveryId: delivery!.id, requestId });
    }
  });
});
