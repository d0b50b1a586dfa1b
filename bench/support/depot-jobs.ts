import type { JobsOptions } from 'bullmq';
import type { DepotConfig } from '@depot/config';

/** The options Depot's QueueModule gives every job by default, for jobs a benchmark enqueues itself. */
export function depotJobOptions(config: DepotConfig): JobsOptions {
  const { attempts, backoffMs, removeCompletedAfterSeconds, keepFailedForSeconds } = config.queue;
  return {
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    removeOnComplete: { age: removeCompletedAfterSeconds },
    removeOnFail: { age: keepFailedForSeconds },
  };
}

/** ioredis connection options for a redis:// URL (host and port; the bench Redis has no password). */
export function redisConnection(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 6379) };
}
