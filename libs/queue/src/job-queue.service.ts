import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { currentLogContext } from '@depot/observability';
import type { JobData, JobName, QueueName, Traced } from './job-payloads';

/** Typed producer: `jobs.add('files', 'process', { fileId, tenantId })`. */
@Injectable()
export class JobQueue {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue('files') files: Queue,
    @InjectQueue('webhooks') webhooks: Queue,
    @InjectQueue('maintenance') maintenance: Queue,
  ) {
    this.queues = { files, webhooks, maintenance };
  }

  /**
   * Enqueues a job. The current request id rides along in the data, so the worker's logs
   * for it carry the same id. Give a `jobId` to make a repeat enqueue harmless.
   */
  add<Q extends QueueName, N extends JobName<Q>>(
    queue: Q,
    name: N,
    data: JobData<Q, N>,
    options?: JobsOptions,
  ): Promise<Job> {
    const payload = data as Traced; // every payload is Traced (see JobPayloads)
    const requestId = currentLogContext().requestId;
    const traced = payload.requestId || !requestId ? payload : { ...payload, requestId };
    return this.queues[queue].add(name, traced, options);
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  all(): ReadonlyArray<Queue> {
    return Object.values(this.queues);
  }
}
