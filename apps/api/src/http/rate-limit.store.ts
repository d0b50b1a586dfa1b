import type {
  FastifyRateLimitStore,
  FastifyRateLimitStoreCtor,
  RateLimitPluginOptions,
} from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { DepotConfig } from '@depot/config';
import { Redis } from 'ioredis';
import { redisOptions } from '@depot/queue';

/** How often one api process deletes windows that ended (any process's; the delete is idempotent). */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * One statement per request: starts a window (count 1, expiry now + window) or counts into
 * the running one. Concurrent requests from any api process serialise on the row.
 */
const INCREMENT = `
  INSERT INTO rate_limit_counters (key, count, expires_at)
  VALUES ($1, 1, now() + $2 * interval '1 millisecond')
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN rate_limit_counters.expires_at <= now() THEN 1 ELSE rate_limit_counters.count + 1 END,
    expires_at = CASE WHEN rate_limit_counters.expires_at <= now()
      THEN EXCLUDED.expires_at ELSE rate_limit_counters.expires_at END
  RETURNING count, greatest(0, ceil(extract(epoch FROM expires_at - now()) * 1000))::bigint AS ttl`;

interface CounterRow {
  count: number;
  ttl: string;
}

/**
 * A store for `@fastify/rate-limit` whose fixed-window counters live in PostgreSQL (table
 * `rate_limit_counters`), so every api process shares them as they share Redis's on the
 * redis backend. Keys carry the caller's namespace, so deployments sharing a database keep
 * apart. The plugin's `continueExceeding` and `exponentialBackoff` are not supported (Depot
 * uses neither): the store refuses them rather than ignore them.
 */
export function postgresRateLimitStore(dataSource: DataSource, nameSpace: string): FastifyRateLimitStoreCtor {
  class PostgresRateLimitStore implements FastifyRateLimitStore {
    constructor(options: { continueExceeding?: boolean; exponentialBackoff?: boolean }) {
      if (options.continueExceeding || options.exponentialBackoff) {
        throw new Error(
          'the PostgreSQL rate-limit store supports neither continueExceeding nor exponentialBackoff',
        );
      }
    }

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      dataSource.query<CounterRow[]>(INCREMENT, [`${nameSpace}${key}`, timeWindow]).then(
        ([row]) => callback(null, { current: Number(row?.count ?? 1), ttl: Number(row?.ttl ?? timeWindow) }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(): FastifyRateLimitStore {
      return this; // Depot sets no per-route limits: one budget table for all routes
    }
  }
  return PostgresRateLimitStore;
}

/**
 * Where the api's rate-limit counters live, by queue backend: in Redis beside the queues, or
 * in PostgreSQL. Either way every api process shares them, and they sit under the queue
 * prefix so deployments (and test runs) sharing a server keep apart.
 */
export function rateLimitStorage(
  app: NestFastifyApplication,
  { redis, queue }: Pick<DepotConfig, 'redis' | 'queue'>,
): Pick<RateLimitPluginOptions, 'redis' | 'store' | 'nameSpace'> {
  const nameSpace = `${queue.prefix}:rate-limit:`;
  const fastify = app.getHttpAdapter().getInstance();
  if (queue.backend === 'postgres') {
    const dataSource = app.get(DataSource);
    const sweep = setInterval(() => {
      dataSource.query(`DELETE FROM rate_limit_counters WHERE expires_at < now()`).catch(() => undefined);
    }, SWEEP_INTERVAL_MS).unref();
    fastify.addHook('onClose', async () => clearInterval(sweep));
    return { store: postgresRateLimitStore(dataSource, nameSpace) };
  }
  const client = new Redis({ ...redisOptions(redis), enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined); // reported by readiness, not by every request
  fastify.addHook('onClose', async () => client.disconnect());
  return { redis: client, nameSpace };
}
