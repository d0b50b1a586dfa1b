import { WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { withLogContext } from '@depot/observability';
import type { JobData, JobName, QueueName } from './job-payloads';
import { JobMetrics } from './queue.metrics';

/** One handler for each job name of queue Q; the compiler refuses a missing one. */
export type JobHandlers<Q extends QueueName> = {
  [N in JobName<Q>]: (data: JobData<Q, N>, job: Job<JobData<Q, N>>) => Promise<unknown>;
};

/**
 * Base of the worker's processors (one per queue, decorated with `@Processor(queue)`):
 * dispatches each job to its typed handler inside a log context carrying the job's
 * ids and the request id it came from.
 */
export abstract class QueueProcessor<Q extends QueueName> extends WorkerHost {
  abstract readonly queueName: Q;
  protected abstract readonly handlers: JobHandlers<Q>;
  protected readonly logger = new Logger(this.constructor.name);
  // Property injection keeps subclasses' constructors their own.
  @Inject(JobMetrics) private readonly metrics!: JobMetrics;

  // Not async, and the handler's promise is chained rather than awaited: per job this is two
  // promises and their microtasks fewer (with the log context's hooks on, each costs more).
  override process(job: Job): Promise<unknown> {
    const handler = (
      this.handlers as Record<string, ((data: unknown, job: Job) => Promise<unknown>) | undefined>
    )[job.name];
    if (!handler)
      return Promise.reject(
        new UnrecoverableError(`no handler for job "${job.name}" on queue "${this.queueName}"`),
      );
    const data = job.data as { requestId?: string };
    const metrics = this.metrics.forJob(this.queueName, job.name);
    const started = performance.now();
    const settle = (outcome: 'completed' | 'retried' | 'failed'): void => {
      metrics.duration[outcome].observe((performance.now() - started) / 1000);
      metrics.count[outcome].inc();
    };
    const failed = (error: unknown): never => {
      const willRetry =
        !(error instanceof UnrecoverableError) && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
      settle(willRetry ? 'retried' : 'failed');
      this.logger.warn({ err: error, attempt: job.attemptsMade + 1, willRetry }, `job ${job.name} failed`);
      throw error;
    };
    return withLogContext(
      { requestId: data.requestId, jobId: job.id, queue: this.queueName, job: job.name },
      () => {
        let pending: Promise<unknown>;
        try {
          // A handler that throws before returning its promise fails the job the same way.
          pending = Promise.resolve(handler(job.data, job));
        } catch (error) {
          pending = Promise.reject(error);
        }
        return pending.then((result) => {
          settle('completed');
          return result;
        }, failed);
      },
    );
  }
}
