import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { currentLogContext } from '@depot/observability';
import type { JobData, JobName, QueueName, Traced } from './job-payloads';

/** Typed producer: `jobs.add('files', 'process', { fileId, tenantId })`. */
@Injectable()
export class JobQueueService {
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

  /**
   * Enqueues a job again under `jobId` unless a job with that id is still waiting, delayed or
   * running, so one piece of work never has two jobs at once. A finished job under the id
   * (completed or failed without its work settling) is removed first to make room. Resolves
   * to the previous job's state, or `undefined` when the job is still in flight.
   */
  async requeue<Q extends QueueName, N extends JobName<Q>>(
    queue: Q,
    name: N,
    data: JobData<Q, N>,
    options: JobsOptions & { jobId: string },
  ): Promise<string | undefined> {
    const job = await this.queues[queue].getJob(options.jobId);
    const state = job ? await job.getState() : 'missing';
    if (job && state !== 'completed' && state !== 'failed' && state !== 'unknown') return undefined;
    if (job) await job.remove();
    await this.add(queue, name, data, options);
    return state;
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  all(): ReadonlyArray<Queue> {
    return Object.values(this.queues);
  }
}
