import { type ConnectionOptions, type PostgresPoolConfig, setDefaultBackendFactory } from 'bullmq';
import { Client } from 'pg';
import type { DatabaseConfig, QueueConfig, RedisConfig } from '@depot/config';
import type { Dependency } from '@depot/observability';
import { redisDependency } from './redis.probe';
import { producerRedisOptions, redisOptions } from './redis.options';

/*
 * The one place that knows where jobs live. `queue.backend` is `redis` (production default)
 * or `postgres` (BullMQ's own PostgreSQL backend in the application's database). Everything
 * else (producers, processors, the scheduler, admin endpoints, metrics, readiness, the
 * benches) builds BullMQ's classes the usual way and gets the backend from here.
 */

/** The config sections the queue backend reads. */
export interface QueueBackendConfig {
  queue: QueueConfig;
  redis: RedisConfig;
  database: DatabaseConfig;
}

/**
 * On the postgres backend the queue prefix names the PostgreSQL schema the queues live in
 * (BullMQ's SQL-native replacement for the key prefix): lower case, and any character a
 * plain identifier cannot hold becomes `_` (`depot-test-x1` gives `depot_test_x1`).
 */
export function queueSchemaName(prefix: string): string {
  const name = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return (/^[a-z_]/.test(name) ? name : `q_${name}`).slice(0, 63);
}

/**
 * BullMQ's PostgreSQL backend, loaded on first use: about 0.3 MB of source and as much in SQL
 * strings built at load, which an app on Redis would otherwise keep for nothing (the worker
 * idles about 6 MB lower without it; bench/RESULTS.md).
 */
function loadPostgresBackend(): Promise<typeof import('./postgres.backend.ts')> {
  return import('./postgres.backend.ts');
}

function postgresConnection(config: QueueBackendConfig): PostgresPoolConfig {
  return {
    connectionString: config.database.url,
    schema: queueSchemaName(config.queue.prefix),
    // Each Queue and Worker has a pool of its own, opened on demand: a producer uses one or
    // two connections, a worker up to its concurrency (a smaller pool halves its throughput
    // at concurrency 16; bench/RESULTS.md). Each worker also holds one LISTEN connection.
    max: config.database.poolSize,
    connectionTimeoutMillis: config.database.connectTimeoutMs,
    // A LISTEN connection dropped without a FIN is noticed and rebuilt.
    keepAlive: true,
  };
}

/**
 * Makes the configured backend the process's default for every BullMQ Queue, Worker and
 * QueueEvents constructed from now on (`@nestjs/bullmq` constructs them the usual way), and
 * returns the connection options to give them. Call it once per process, before the first
 * queue is made; `QueueModule` does.
 */
export async function useQueueBackend(config: QueueBackendConfig): Promise<{
  connection: ConnectionOptions;
  producerConnection: ConnectionOptions;
}> {
  if (config.queue.backend === 'postgres') {
    const { createPostgresBackend } = await loadPostgresBackend();
    setDefaultBackendFactory(createPostgresBackend);
    // Typed as BullMQ's Redis connection options, the default backend's: the postgres
    // factory set above receives exactly this object.
    const connection = postgresConnection(config) as ConnectionOptions;
    return { connection, producerConnection: connection };
  }
  setDefaultBackendFactory();
  return { connection: redisOptions(config.redis), producerConnection: producerRedisOptions(config.redis) };
}

async function withClient<T>(
  url: string,
  timeoutMs: number,
  run: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates or upgrades the queue tables on the postgres backend (BullMQ's migrations, under
 * an advisory lock so concurrent callers are safe); nothing on redis. `npm run db:setup`
 * runs it beside the application's migrations: the apps never migrate.
 */
export async function migrateQueueBackend(config: QueueBackendConfig): Promise<void> {
  if (config.queue.backend !== 'postgres') return;
  const { runMigrations } = await loadPostgresBackend();
  await withClient(config.database.url, config.database.connectTimeoutMs, (client) =>
    runMigrations(client, queueSchemaName(config.queue.prefix)),
  );
}

/**
 * The queue backend as a boot dependency of an app: Redis answers PING, or the queue schema
 * in PostgreSQL exists and fits this BullMQ (else: run `npm run db:setup`).
 */
export function queueDependency(config: QueueBackendConfig): Dependency {
  if (config.queue.backend !== 'postgres') return redisDependency(config.redis);
  const schema = queueSchemaName(config.queue.prefix);
  const url = new URL(config.database.url);
  return {
    name: 'the queue schema in PostgreSQL',
    address: `${url.hostname}:${url.port || 5432}${url.pathname} schema ${schema}`,
    probe: async () => {
      const { assertSchemaCompatibility, SchemaMigrationRequiredError } = await loadPostgresBackend();
      try {
        await withClient(config.database.url, config.database.connectTimeoutMs, (client) =>
          assertSchemaCompatibility(client, schema),
        );
      } catch (error) {
        // The boot line's advice: the schema is created by db:setup, not by starting a server.
        if (error instanceof SchemaMigrationRequiredError) {
          Object.assign(error, { hint: 'create it with `npm run db:setup`' });
        }
        throw error;
      }
    },
  };
}
