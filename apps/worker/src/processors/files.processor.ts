import { Processor } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { WorkerConfig } from '@depot/config';
import { FileProcessingService, type FileToProcess, type ProcessOutcome } from '@depot/files';
import { JobBatcher, type JobHandlers, QueueProcessor } from '@depot/queue';
import { InvalidPathError } from '@depot/storage';

/**
 * Batches running at once when `worker.batch.files` is above 1: while one batch waits on
 * PostgreSQL (its claim or settle), the other's files are read and moved.
 */
const BATCHES_RUNNING = 2;

/**
 * The `files` queue: `process` checks an upload and makes it ready or failed; `purge`
 * removes a deleted file's bytes. The lifecycle itself is in `@depot/files`; this only
 * routes jobs to it and tells the queue which failures are worth a retry.
 *
 * With `worker.batch.files` above 1, `process` jobs are handled in batches of up to that
 * many (FileProcessingService.processMany: one claim and one settle for all): each job still
 * waits for its own file's outcome and is completed, retried or failed on its own, so the
 * queue's locks, retries, metrics and log context stay per job, and `purge` keeps the
 * normal path. The worker takes enough jobs at once for the next batches to gather while
 * {@link BATCHES_RUNNING} run; BullMQ extends every active job's lock for as long as its
 * batch runs (and a dead worker's jobs come back through the stall check). Files are read
 * and moved `worker.concurrency.files` at a time across the running batches (rounded up to
 * a multiple of their number).
 */
@Processor('files')
export class FilesProcessor extends QueueProcessor<'files'> implements OnApplicationBootstrap {
  readonly queueName = 'files';

  protected readonly handlers: JobHandlers<'files'> = {
    process: ({ fileId, requestId }) =>
      permanentIf(async () => {
        const outcome = this.batches
          ? await this.batches.submit({ fileId, requestId })
          : await this.processing.process(fileId);
        this.logger.log({ fileId, outcome, msg: `file ${outcome}` });
        return { outcome };
      }),
    purge: (data) =>
      permanentIf(async () => {
        await this.processing.purge(data);
        return { outcome: 'purged' };
      }),
  };

  /** Gathers `process` jobs into batches; none when `worker.batch.files` is 1. */
  private readonly batches: JobBatcher<FileToProcess, ProcessOutcome> | undefined;

  constructor(
    private readonly processing: FileProcessingService,
    private readonly config: WorkerConfig,
  ) {
    super();
    const size = config.batch.files;
    if (size > 1) {
      const perBatch = Math.ceil(config.concurrency.files / BATCHES_RUNNING);
      this.batches = new JobBatcher((files) => this.processing.processMany(files, perBatch), {
        maxSize: size,
        maxRunning: BATCHES_RUNNING,
      });
    }
  }

  onApplicationBootstrap(): void {
    // Batched: room for the running batches and a full one gathering behind them.
    this.worker.concurrency = this.batches
      ? this.config.batch.files * (BATCHES_RUNNING + 1)
      : this.config.concurrency.files;
  }
}

/**
 * Runs a job's work; a failure no retry can mend (a key the storage refuses) fails the
 * job at once. Anything else (storage, database, Redis) is thrown as is and retried by
 * the queue with exponential backoff.
 */
async function permanentIf<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidPathError) throw new UnrecoverableError(error.message);
    throw error;
  }
}
