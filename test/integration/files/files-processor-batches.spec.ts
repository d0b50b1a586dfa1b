import { randomBytes, randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { ConfigModule } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import { FileEntity, FileProcessingService, FilesModule, incomingKey } from '@depot/files';
import { MetricsModule } from '@depot/observability';
import { QueueModule } from '@depot/queue';
import { type Disk, InvalidPathError, StorageModule, StorageService } from '@depot/storage';
import { FilesProcessor } from '../../../apps/worker/src/processors/files.processor';
import { waitFor } from '../../support/wait';
import { seedFile } from '../support/seed-file';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness';

/** A harness running the worker's files processor with these batch and concurrency settings. */
function startFilesProcessor(
  name: string,
  files: { batch: number; concurrency: number },
  queue: { attempts: number; backoffMs: number } | undefined = undefined,
): Promise<WorkerHarness> {
  return startWorkerHarness(
    name,
    {
      imports: [
        ConfigModule,
        DatabaseModule,
        QueueModule,
        MetricsModule,
        StorageModule.forRootAsync(),
        FilesModule,
      ],
      providers: [FilesProcessor],
    },
    (config) => ({
      ...config,
      worker: {
        ...config.worker,
        batch: { files: files.batch },
        concurrency: { ...config.worker.concurrency, files: files.concurrency },
      },
      queue: { ...config.queue, ...queue },
    }),
  );
}

/**
 * The worker's `files` processor with `worker.batch.files` above 1, on the configured queue
 * backend: `process` jobs go through batches, yet each job is completed, retried or failed
 * on its own.
 */
describe('files processor in batches (real queue, database and local disk)', () => {
  let harness: WorkerHarness;
  let disk: Disk;
  let tenantId: string;
  let batches: jest.SpyInstance;

  beforeAll(async () => {
    harness = await startFilesProcessor(
      'files-batches',
      { batch: 4, concurrency: 2 },
      { attempts: 3, backoffMs: 10 },
    );
    disk = harness.module.get(StorageService).disk();
    tenantId = await harness.tenant();
    batches = jest.spyOn(harness.module.get(FileProcessingService), 'processMany');
  });
  afterAll(() => harness.close());

  const files = () => harness.dataSource.getRepository(FileEntity);

  /** A pending upload of 1,000 bytes; its id. */
  const seed = async (): Promise<string> =>
    (await seedFile(harness.dataSource, disk, tenantId, randomBytes(1000))).id;

  /** Enqueues `process` for each file and waits until every job has finished, one way or the other. */
  async function runJobs(ids: string[]): Promise<Job[]> {
    const queue = harness.jobs.queue('files');
    await Promise.all(
      ids.map((fileId) => harness.jobs.add('files', 'process', { fileId, tenantId }, { jobId: fileId })),
    );
    await waitFor('the jobs to finish', 30_000, async () => {
      const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
      return states.every((state) => state === 'completed' || state === 'failed');
    });
    // Read once all have finished: a job read while still active has no return value yet.
    return (await Promise.all(ids.map((id) => queue.getJob(id)))) as Job[];
  }

  /**
   * Runs `process` for each of `ids` while moving `fileId`'s bytes throws what `failure`
   * answers for its nth attempt (undefined: the move goes ahead); every other move goes ahead.
   */
  async function runJobsWhileMoveFails(
    ids: string[],
    fileId: string,
    failure: (attempt: number) => Error | undefined,
  ): Promise<Job[]> {
    const move = disk.move.bind(disk);
    let attempts = 0;
    const spy = jest.spyOn(disk, 'move').mockImplementation(async (from, to) => {
      const error = from === incomingKey(tenantId, fileId) ? failure(++attempts) : undefined;
      if (error) throw error;
      await move(from, to);
    });
    try {
      return await runJobs(ids);
    } finally {
      spy.mockRestore();
    }
  }

  it("retries only the job whose file failed; its batch's other jobs complete at their first attempt", async () => {
    const ids = await Promise.all([seed(), seed(), seed(), seed(), seed(), seed()]);
    const flaky = ids[2]!;
    const jobs = await runJobsWhileMoveFails(ids, flaky, (attempt) =>
      attempt === 1 ? new Error('disk unavailable') : undefined,
    );
    expect(batches).toHaveBeenCalled();
    // Room for two running batches of 4 and one gathering behind them.
    expect(harness.module.get(FilesProcessor).worker.concurrency).toBe(12);
    for (const job of jobs) {
      expect(await job.getState()).toBe('completed');
      expect(job.returnvalue).toEqual({ outcome: 'ready' });
      expect(job.attemptsMade).toBe(job.id === flaky ? 2 : 1);
    }
    const rows = await files().findBy(ids.map((id) => ({ id })));
    expect(rows.map((row) => row.status)).toEqual(ids.map(() => 'ready'));
  });

  it('fails at once only the job whose file meets a permanent error', async () => {
    const ids = await Promise.all([seed(), seed(), seed()]);
    const refused = ids[1]!;
    const jobs = await runJobsWhileMoveFails(
      ids,
      refused,
      () => new InvalidPathError({ operation: 'move', key: 'refused', reason: 'refused by the test' }),
    );
    for (const job of jobs) {
      if (job.id === refused) {
        expect(await job.getState()).toBe('failed');
        expect(job.attemptsMade).toBe(1);
        expect(job.failedReason).toMatch(/refused by the test/);
      } else {
        expect(await job.getState()).toBe('completed');
        expect(job.attemptsMade).toBe(1);
      }
    }
  });
});

describe('files processor with worker.batch.files 1 (real queue, database and local disk)', () => {
  let harness: WorkerHarness;

  beforeAll(async () => {
    harness = await startFilesProcessor('files-unbatched', { batch: 1, concurrency: 3 });
  });
  afterAll(() => harness.close());

  it('processes each job on its own, at the files concurrency, as before batches', async () => {
    const processing = harness.module.get(FileProcessingService);
    const single = jest.spyOn(processing, 'process');
    expect(harness.module.get(FilesProcessor).worker.concurrency).toBe(3);
    const tenantId = await harness.tenant();
    const fileId = randomUUID();
    await harness.jobs.add('files', 'process', { fileId, tenantId }, { jobId: fileId });
    const queue = harness.jobs.queue('files');
    const job = await waitFor('the job to complete', 30_000, async () => {
      const found = await queue.getJob(fileId);
      return (await found?.getState()) === 'completed' && found;
    });
    expect(job.returnvalue).toEqual({ outcome: 'missing' });
    // Each job is its own batch of one, not gathered with others.
    expect(single).toHaveBeenCalledWith(fileId);
  });
});
