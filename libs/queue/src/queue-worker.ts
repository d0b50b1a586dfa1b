import { type ConnectionOptions, isRedisInstance, type Processor, Worker, type WorkerOptions } from 'bullmq';
import { getConfig, type QueueConfig } from '@depot/config';

/**
 * The options every Depot worker runs with:
 *
 * - lock and stall-check timings from config (`queue.lockDurationMs`,
 *   `queue.stalledIntervalMs`): when a worker dies mid-job its lock expires and another
 *   worker's stall check hands the job back to the queue, so the job is finished, not lost;
 * - on Redis, a connection that holds commands across a reconnect. Queues (producers) are given
 *   `enableOfflineQueue: false` so that an enqueue during a Redis outage fails at once;
 *   a worker inherits its queue's connection options and must not: it waits for Redis to
 *   come back and carries on by itself.
 *
 * Options a processor sets in `@Processor(queue, options)` win over the timings.
 */
export function queueWorkerOptions(queue: QueueConfig, options: WorkerOptions): WorkerOptions {
  // The offline queue is ioredis's; a PostgreSQL pool waits for a connection by itself.
  const connection: ConnectionOptions =
    queue.backend !== 'redis' || isRedisInstance(options.connection)
      ? options.connection
      : { ...options.connection, enableOfflineQueue: true };
  return {
    lockDuration: queue.lockDurationMs,
    stalledInterval: queue.stalledIntervalMs,
    ...options,
    connection,
  };
}

/**
 * BullMQ's Worker with {@link queueWorkerOptions}. `QueueModule` registers it as the class
 * `@nestjs/bullmq` builds each `@Processor`'s worker from; decorators cannot see config,
 * so it reads the process's validated config itself.
 */
export class QueueWorker<
  DataType = unknown,
  ResultType = unknown,
  NameType extends string = string,
> extends Worker<DataType, ResultType, NameType> {
  constructor(
    name: string,
    processor?: string | URL | null | Processor<DataType, ResultType, NameType>,
    options?: WorkerOptions,
  ) {
    super(name, processor, queueWorkerOptions(getConfig().queue, options ?? { connection: {} }));
  }
}
