import { randomUUID } from 'node:crypto';
import { readFile, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { ConfigModule, getConfig } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import {
  FileMaintenanceModule,
  FileProcessingService,
  FilesModule,
  incomingKey,
  OrphanBytesService,
  RequeueStuckService,
  RetentionSweepService,
  storedKey,
  UsageReportService,
} from '@depot/files';
import { MetricsModule } from '@depot/observability';
import { QueueModule } from '@depot/queue';
import { SchedulingModule, TaskDispatcherService } from '@depot/scheduling';
import { StorageModule, StorageService } from '@depot/storage';
import { MaintenanceProcessor } from '../../../apps/worker/src/processors/maintenance.processor';
import { testEnv } from '../../support/test-env';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness';

const HOUR = 60 * 60 * 1000;

describe('maintenance jobs (real database and local disk)', () => {
  let harness: WorkerHarness;

  beforeAll(async () => {
    harness = await startWorkerHarness('maintenance', {
      imports: [
        ConfigModule,
        DatabaseModule,
        QueueModule,
        MetricsModule,
        StorageModule.forRootAsync(),
        FileMaintenanceModule,
        FilesModule,
        SchedulingModule,
      ],
      providers: [MaintenanceProcessor],
    });
  });
  afterAll(() => harness.close());

  interface FileSeed {
    status?: string;
    size?: number | null;
    createdAt?: Date;
    updatedAt?: Date;
    expiresAt?: Date | null;
    deletedAt?: Date | null;
  }

  async function file(tenantId: string, seed: FileSeed = {}): Promise<string> {
    const id = randomUUID();
    const createdAt = seed.createdAt ?? new Date();
    await harness.dataSource.query(
      `INSERT INTO files (id, tenant_id, name, size, content_type, status, disk, storage_key, expires_at, created_at, updated_at, deleted_at)
       VALUES ($1, $2, 'report.pdf', $3, 'application/pdf', $4, 'local', $5, $6, $7, $8, $9)`,
      [
        id,
        tenantId,
        seed.size === undefined ? 1024 : seed.size,
        seed.status ?? 'ready',
        storedKey(tenantId, id),
        seed.expiresAt ?? null,
        createdAt,
        seed.updatedAt ?? createdAt,
        seed.deletedAt ?? null,
      ],
    );
    return id;
  }

  async function endpoint(tenantId: string, events: string[]): Promise<void> {
    await harness.dataSource.query(
      `INSERT INTO webhooks (id, tenant_id, url, events, secret) VALUES ($1, $2, 'https://hooks.example.com/depot', $3, 'whsec_test')`,
      [randomUUID(), tenantId, events],
    );
  }

  const statusOf = async (id: string): Promise<{ status: string; deleted_at: Date | null }> =>
    (await harness.dataSource.query('SELECT status, deleted_at FROM files WHERE id = $1', [id]))[0];

  describe('retentionSweep', () => {
    it('deletes expired files, records file.deleted in the same transaction, enqueues their purge; twice is a no-op', async () => {
      const tenantId = await harness.tenant();
      await endpoint(tenantId, ['file.deleted']);
      const past = new Date(Date.now() - HOUR);
      const expired = await file(tenantId, { expiresAt: past });
      const expiredPending = await file(tenantId, { status: 'pending', expiresAt: past });
      const future = await file(tenantId, { expiresAt: new Date(Date.now() + HOUR) });
      const forever = await file(tenantId);
      const alreadyDeleted = await file(tenantId, { status: 'deleted', expiresAt: past, deletedAt: past });

      const sweep = harness.module.get(RetentionSweepService, { strict: false });
      const first = await sweep.run();
      expect(first.deleted).toBeGreaterThanOrEqual(2);

      for (const id of [expired, expiredPending]) {
        expect(await statusOf(id)).toEqual({ status: 'deleted', deleted_at: expect.any(Date) });
        const purge = await harness.jobs.queue('files').getJob(`purge-${id}`);
        expect(purge?.name).toBe('purge');
        expect(purge?.data).toMatchObject({
          fileId: id,
          tenantId,
          disk: 'local',
          storageKey: storedKey(tenantId, id),
        });
      }
      for (const id of [future, forever]) expect((await statusOf(id)).status).toBe('ready');
      expect((await statusOf(alreadyDeleted)).deleted_at).toEqual(past);

      const deliveries = await harness.dataSource.query<
        Array<{ id: string; payload: { data: { id: string; status: string } } }>
      >(
        `SELECT id, payload FROM webhook_deliveries WHERE tenant_id = $1 AND event = 'file.deleted' ORDER BY payload->'data'->>'id'`,
        [tenantId],
      );
      expect(deliveries.map((delivery) => delivery.payload.data)).toEqual(
        [expired, expiredPending].sort().map((id) => expect.objectContaining({ id, status: 'deleted' })),
      );
      for (const delivery of deliveries) {
        expect(await harness.jobs.queue('webhooks').getJob(delivery.id)).toBeDefined();
      }

      await sweep.run();
      const [{ count }] = await harness.dataSource.query(
        `SELECT count(*)::int AS count FROM webhook_deliveries WHERE tenant_id = $1`,
        [tenantId],
      );
      expect(count).toBe(2);
    });
  });

  describe('requeueStuck', () => {
    it('enqueues again files stuck past files.stuckAfterSeconds unless their job is still in flight; twice is a no-op', async () => {
      const tenantId = await harness.tenant();
      const old = new Date(Date.now() - getConfig().files.stuckAfterSeconds * 1000 - HOUR);
      const lost = await file(tenantId, { status: 'pending', size: null, updatedAt: old });
      const waiting = await file(tenantId, { status: 'processing', updatedAt: old });
      const failedJob = await file(tenantId, { status: 'processing', updatedAt: old });
      const recent = await file(tenantId, { status: 'pending' });
      const ready = await file(tenantId, { status: 'ready', updatedAt: old });

      const files = harness.jobs.queue('files');
      await files.drain(true); // this harness's queue only: no waiting job but the ones made here
      await failJob(failedJob, tenantId);
      const inFlight = await harness.jobs.add(
        'files',
        'process',
        { fileId: waiting, tenantId },
        { jobId: waiting },
      );

      const requeue = harness.module.get(RequeueStuckService, { strict: false });
      const first = await requeue.run();
      expect(first).toMatchObject({ stuck: 3, requeued: 2 });

      const lostJob = await files.getJob(lost);
      expect(lostJob?.name).toBe('process');
      expect(lostJob?.data).toEqual({ fileId: lost, tenantId });
      expect(await files.getJobState(lost)).toBe('waiting');
      expect(await files.getJobState(failedJob)).toBe('waiting');
      expect((await files.getJob(waiting))?.timestamp).toBe(inFlight.timestamp);
      for (const id of [recent, ready]) expect(await files.getJob(id)).toBeUndefined();

      expect(await requeue.run()).toMatchObject({ stuck: 3, requeued: 0 });
    });

    it('dispatches again webhook deliveries left pending whose job is gone', async () => {
      const tenantId = await harness.tenant();
      await endpoint(tenantId, ['file.ready']);
      const [{ id: webhookId }] = await harness.dataSource.query(
        'SELECT id FROM webhooks WHERE tenant_id = $1',
        [tenantId],
      );
      const old = new Date(Date.now() - getConfig().files.stuckAfterSeconds * 1000 - HOUR);
      const orphan = randomUUID();
      await harness.dataSource.query(
        `INSERT INTO webhook_deliveries (id, webhook_id, tenant_id, event, payload, created_at, updated_at)
         VALUES ($1, $2, $3, 'file.ready', $4, $5, $5)`,
        [orphan, webhookId, tenantId, { id: orphan, type: 'file.ready', data: {} }, old],
      );

      const requeue = harness.module.get(RequeueStuckService, { strict: false });
      expect((await requeue.run()).deliveriesRedispatched).toBeGreaterThanOrEqual(1);
      const job = await harness.jobs.queue('webhooks').getJob(orphan);
      expect(job?.name).toBe('deliver');
      expect(job?.data).toEqual({ deliveryId: orphan });
      expect(job?.opts).toMatchObject({
        attempts: getConfig().webhooks.maxAttempts,
        backoff: { type: 'exponential' },
      });
      await requeue.run();
      expect((await harness.jobs.queue('webhooks').getJob(orphan))?.timestamp).toBe(job?.timestamp);
    });

    it('enqueues again the purge of a file deleted long ago whose bytes were never purged', async () => {
      const tenantId = await harness.tenant();
      const longAgo = new Date(Date.now() - getConfig().files.stuckAfterSeconds * 1000 - HOUR);
      // Deleted while Redis was away: the row says deleted, the purge job was never enqueued.
      const lost = await file(tenantId, { status: 'deleted', deletedAt: longAgo });
      const recent = await file(tenantId, { status: 'deleted', deletedAt: new Date() });
      const disk = harness.module.get(StorageService, { strict: false }).disk();
      await disk.write(storedKey(tenantId, lost), 'bytes nobody may keep');

      const requeue = harness.module.get(RequeueStuckService, { strict: false });
      expect((await requeue.run()).purgesRequeued).toBeGreaterThanOrEqual(1);
      const purge = await harness.jobs.queue('files').getJob(`purge-${lost}`);
      expect(purge?.data).toEqual({
        fileId: lost,
        tenantId,
        disk: 'local',
        storageKey: storedKey(tenantId, lost),
      });
      expect(await harness.jobs.queue('files').getJob(`purge-${recent}`)).toBeUndefined();

      // What the worker's purge handler does with that job: bytes gone, purged_at set, not again.
      await harness.module.get(FileProcessingService, { strict: false }).purge(purge!.data);
      expect(await disk.exists(storedKey(tenantId, lost))).toBe(false);
      const [row] = await harness.dataSource.query('SELECT purged_at FROM files WHERE id = $1', [lost]);
      expect(row.purged_at).toEqual(expect.any(Date));
      await purge!.remove();
      await requeue.run();
      expect(await harness.jobs.queue('files').getJob(`purge-${lost}`)).toBeUndefined();
    });

    it('removes upload bytes left in incoming/ with no file row once they are older than files.stuckAfterSeconds', async () => {
      const tenantId = await harness.tenant();
      const disk = harness.module.get(StorageService, { strict: false }).disk();
      const longAgo = new Date(Date.now() - getConfig().files.stuckAfterSeconds * 1000 - HOUR);
      // An api killed between the bytes and the row; a pending file; a deleted one awaiting its
      // purge; something that is not an upload. All as old as the orphan.
      const orphan = randomUUID();
      const pending = await file(tenantId, { status: 'pending' });
      const deleted = await file(tenantId, { status: 'deleted', deletedAt: new Date() });
      const old = [orphan, pending, deleted].map((id) => incomingKey(tenantId, id));
      old.push(`tenants/${tenantId}/incoming/not-a-file-id`);
      for (const key of old) {
        await disk.write(key, 'bytes');
        await utimes(join(testEnv().storageRoot, key), longAgo, longAgo);
      }
      // Just stored: its upload may be about to insert the row.
      const fresh = incomingKey(tenantId, randomUUID());
      await disk.write(fresh, 'bytes');

      const result = await harness.module.get(OrphanBytesService, { strict: false }).run();
      expect(result).toEqual({ orphansRemoved: expect.any(Number), orphansMore: false });
      expect(result.orphansRemoved).toBeGreaterThanOrEqual(1);
      expect(await disk.exists(old[0]!)).toBe(false);
      for (const key of [...old.slice(1), fresh])
        expect({ key, kept: await disk.exists(key) }).toEqual({ key, kept: true });
    });

    /** Leaves a `files.process` job for the file in the failed state, as a worker that gave up would. */
    async function failJob(fileId: string, tenantId: string): Promise<void> {
      await harness.jobs.add('files', 'process', { fileId, tenantId }, { jobId: fileId, attempts: 1 });
      const worker = new Worker('files', null, {
        connection: harness.jobs.queue('files').opts.connection,
        prefix: harness.queuePrefix,
        autorun: false,
      });
      try {
        const token = randomUUID();
        const job = await worker.getNextJob(token);
        expect(job?.id).toBe(fileId);
        await job!.moveToFailed(new Error('storage unavailable'), token, false);
      } finally {
        await worker.close();
      }
      expect(await harness.jobs.queue('files').getJobState(fileId)).toBe('failed');
    }
  });

  describe('usageReport', () => {
    it('writes the day before the run as CSV on the default disk: held files and bytes at the end of the day, uploads during it', async () => {
      const day = (iso: string) => new Date(`2020-01-${iso}Z`);
      const acme = await harness.tenant(day('01T08:00:00'), 'Acme, Inc.');
      const formula = await harness.tenant(day('01T09:00:00'), '=HYPERLINK("evil")');
      await harness.tenant(day('03T00:00:00'), 'created after the day');
      await file(acme, { size: 100, createdAt: day('01T10:00:00') }); // held, not uploaded that day
      await file(acme, { size: 50, createdAt: day('02T10:00:00') }); // held, uploaded
      await file(acme, {
        size: 7,
        createdAt: day('02T11:00:00'),
        status: 'deleted',
        deletedAt: day('02T12:00:00'),
      }); // uploaded, gone by the end
      await file(acme, {
        size: 30,
        createdAt: day('01T12:00:00'),
        status: 'deleted',
        deletedAt: day('03T01:00:00'),
      }); // deleted after the day: held
      await file(acme, { size: 1000, createdAt: day('03T00:00:00') }); // the next day
      await file(formula, { size: null, status: 'pending', createdAt: day('02T23:59:59') }); // uploaded, size unknown yet

      await harness.dataSource.query(
        `UPDATE files SET bucket_id = (SELECT id FROM buckets WHERE tenant_id = $1 AND name = 'default') WHERE tenant_id = $1`,
        [acme],
      );
      const report = harness.module.get(UsageReportService, { strict: false });
      const scheduledAt = new Date('2020-01-03T00:05:00Z');
      expect(await report.run(scheduledAt)).toEqual({
        day: '2020-01-02',
        key: 'reports/usage/2020-01-02.csv',
        bucketsKey: 'reports/usage/2020-01-02-buckets.csv',
        tenants: 2,
      });

      const path = join(testEnv().storageRoot, 'reports/usage/2020-01-02.csv');
      const csv = await readFile(path, 'utf8');
      const [first, second] = [acme, formula].sort();
      const rows: Record<string, string> = {
        [acme]: `${acme},"Acme, Inc.",3,180,2`,
        [formula]: `${formula},"'=HYPERLINK(""evil"")",1,0,1`,
      };
      expect(csv).toBe(`tenant_id,tenant_name,files,bytes,uploads\n${rows[first!]}\n${rows[second!]}\n`);

      // Per bucket: Acme's files are in its default bucket (the other tenant's name none).
      const bucketsPath = join(testEnv().storageRoot, 'reports/usage/2020-01-02-buckets.csv');
      expect((await readFile(bucketsPath, 'utf8')).split('\n')[0]).toBe(
        'tenant_id,bucket,files,bytes,uploads',
      );
      const lines = (await readFile(bucketsPath, 'utf8')).trim().split('\n').slice(1);
      expect(lines).toEqual([`${acme},default,3,180,2`, `${formula},default,0,0,0`].sort());

      // Twice gives the same file, whole.
      const before = await stat(path);
      await report.run(new Date('2020-01-03T17:00:00Z'));
      expect(await readFile(path, 'utf8')).toBe(csv);
      expect((await stat(path)).size).toBe(before.size);
    });
  });

  it('runs each task as the maintenance job the scheduler enqueues', async () => {
    const dispatcher = harness.module.get(TaskDispatcherService, { strict: false });
    const maintenance = harness.jobs.queue('maintenance');
    const ancientRun = randomUUID(); // older than scheduler.keepRunsForDays: retentionSweep deletes it
    await harness.dataSource.query(
      `INSERT INTO scheduler_runs (id, task, scheduled_at, claimed_by) VALUES ($1, 'requeueStuck', '2019-06-01T00:00:00Z', 'old')`,
      [ancientRun],
    );
    const results: Record<string, Record<string, unknown>> = {};
    for (const task of ['retentionSweep', 'requeueStuck', 'usageReport'] as const) {
      const run = await dispatcher.runNow(task);
      const deadline = Date.now() + 10_000;
      while ((await maintenance.getJobState(run.jobId)) !== 'completed' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const job = await maintenance.getJob(run.jobId);
      expect({ task, state: await job?.getState() }).toEqual({ task, state: 'completed' });
      expect(job?.data).toEqual({ scheduledAt: run.scheduledAt.toISOString(), requestId: run.jobId });
      results[task] = job?.returnvalue as Record<string, unknown>;
    }
    expect(results.retentionSweep).toEqual({
      deleted: expect.any(Number),
      more: false,
      uploadsExpired: expect.any(Number),
      uploadsMore: false,
      schedulerRunsDeleted: expect.any(Number),
    });
    expect(results.requeueStuck).toEqual({
      stuck: expect.any(Number),
      requeued: expect.any(Number),
      deliveriesRedispatched: expect.any(Number),
      purgesRequeued: expect.any(Number),
      orphansRemoved: expect.any(Number),
      orphansMore: false,
    });
    expect(results.usageReport).toEqual({
      day: expect.any(String),
      key: expect.stringMatching(/^reports\/usage\/\d{4}-\d\d-\d\d\.csv$/),
      bucketsKey: expect.stringMatching(/^reports\/usage\/\d{4}-\d\d-\d\d-buckets\.csv$/),
      tenants: expect.any(Number),
    });
    expect(
      await harness.dataSource.query('SELECT id FROM scheduler_runs WHERE id = $1', [ancientRun]),
    ).toEqual([]);
  }, 30_000);
});
