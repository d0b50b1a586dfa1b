import { Processor } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { WorkerConfig } from '@depot/config';
import { FileProcessingService } from '@depot/files';
import { type JobHandlers, QueueProcessor } from '@depot/queue';
import { InvalidPathError } from '@depot/storage';

/**
 * The `files` queue: `process` checks an upload and makes it ready or failed; `purge`
 * removes a deleted file's bytes. The lifecycle itself is in `@depot/files`; this only
 * routes jobs to it and tells the queue which failures are worth a retry.
 */
@Processor('files')
export class FilesProcessor extends QueueProcessor<'files'> implements OnApplicationBootstrap {
  readonly queueName = 'files';

  protected readonly handlers: JobHandlers<'files'> = {
    process: ({ fileId }) =>
      permanentIf(async () => {
        const outcome = await this.processing.process(fileId);
        this.logger.log({ fileId, outcome, msg: `file ${outcome}` });
        return { outcome };
      }),
    purge: (data) =>
      permanentIf(async () => {
        await this.processing.purge(data);
        return { outcome: 'purged' };
      }),
  };

  constructor(
    private readonly processing: FileProcessingService,
    private readonly config: WorkerConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.concurrency.files;
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
