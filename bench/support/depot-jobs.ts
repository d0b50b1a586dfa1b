import { createPostgresBackend, createRedisBackend, type JobsOptions, type Queue, withBackend } from 'bullmq';
import type { DepotConfig } from '@depot/config';
import { queueSchemaName } from '@depot/queue';

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
function redisConnection(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 6379) };
}

const OnRedis = withBackend(createRedisBackend);
const OnPostgres = withBackend(createPostgresBackend);

/**
 * A producer on the bench environment's queue backend (`queue.backend` of its config), with
 * the backend named explicitly: one bench process makes queues on both backends.
 */
export function benchQueue(
  name: string,
  config: Pick<DepotConfig, 'queue' | 'redis' | 'database'>,
  prefix = config.queue.prefix,
): Queue {
  if (config.queue.backend === 'postgres') {
    const connection = { connectionString: config.database.url, schema: queueSchemaName(prefix) };
    return new OnPostgres.Queue(name, { connection }) as unknown as Queue;
  }
  return new OnRedis.Queue(name, { connection: redisConnection(config.redis.url), prefix });
}
