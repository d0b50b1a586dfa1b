import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { type DepotConfig, loadConfig } from '@depot/config';
import { dataSourceOptions, dropDatabase, ensureDatabase } from '@depot/database';
import { migrateQueueBackend, probeRedis } from '@depot/queue';
import { ENTITIES } from '../../database/entities';
import { ROOT } from '../../test/support/app-launch';
import { onInterrupt } from './processes';

/**
 * One benchmark's own world: a migrated database, a queue prefix, a storage folder, and the
 * environment that points the apps at them, in production mode (secrets from the
 * environment, request logs at `warn` unless `BENCH_LOG_LEVEL` says otherwise, rate limiting
 * off so that a benchmark measures work, not refusals). {@link cleanup} removes all of it.
 */
export interface BenchEnv {
  runId: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  storageRoot: string;
  adminApiKey: string;
  /** The variables to start an app or a script with. */
  env: Record<string, string>;
  /** The configuration the apps will load from {@link env}. */
  config: DepotConfig;
  cleanup(): Promise<void>;
}

/**
 * Creates a bench environment named after `label`. The PostgreSQL server and Redis are the
 * ones `DATABASE_URL` and `REDIS_URL` name, or the configured defaults (127.0.0.1).
 */
export async function createBenchEnv(label: string, extra: Record<string, string> = {}): Promise<BenchEnv> {
  const runId = `${label.replace(/[^a-z0-9]/gi, '').toLowerCase()}_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const defaults = loadConfig({ env: { APP_ENV: 'development' } }).config;
  const databaseUrl = new URL(process.env.DATABASE_URL ?? defaults.database.url);
  databaseUrl.pathname = `/depot_bench_${runId}`;
  const redisUrl = process.env.REDIS_URL ?? defaults.redis.url;
  const queuePrefix = `depot-bench-${runId}`;
  const storageRoot = mkdtempSync(join(tmpdir(), `depot-bench-${runId}-`));
  const adminApiKey = `bench-admin-${randomBytes(24).toString('hex')}`;
  // Production's default queue backend; on a machine where no Redis answers, BullMQ's
  // PostgreSQL backend (a benchmark that compares the two names its backends itself).
  const redisAnswers = await probeRedis({ url: redisUrl, connectTimeoutMs: 1000 }).then(
    () => true,
    () => false,
  );

  const env: Record<string, string> = {
    APP_ENV: 'production',
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    QUEUE_BACKEND: redisAnswers ? 'redis' : 'postgres',
    STORAGE_DISK: 'local',
    STORAGE_LOCAL_ROOT: storageRoot,
    ADMIN_API_KEY: adminApiKey,
    SIGNING_SECRET: randomBytes(32).toString('hex'),
    DEPOT__API__RATE_LIMIT__ENABLED: 'false',
    ...extra,
  };
  const config = loadConfig({ env }).config as DepotConfig;

  let created = false;
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    forget();
    const failures: unknown[] = [];
    if (created) await dropDatabase(env.DATABASE_URL!).catch((error: unknown) => failures.push(error));
    rmSync(storageRoot, { recursive: true, force: true });
    // The prefix is unique to this run; benchmarks may derive prefixes from it (`<prefix>-depot`).
    if (redisAnswers) {
      await deleteRedisKeys(redisUrl, `${queuePrefix}*`).catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw failures[0];
  };

  const forget = onInterrupt(cleanup);
  try {
    created = await ensureDatabase(env.DATABASE_URL!);
    // As database/data-source.ts builds it, without that module's default export, which
    // would load the process's own configuration.
    const dataSource = new DataSource({
      ...dataSourceOptions(config.database),
      entities: ENTITIES,
      migrations: [join(ROOT, 'database/migrations/*.{ts,js}')],
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
    await migrateQueueBackend(config);
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }

  return {
    runId,
    databaseUrl: env.DATABASE_URL!,
    redisUrl,
    queuePrefix,
    storageRoot,
    adminApiKey,
    env,
    config,
    cleanup,
  };
}

/** Deletes every key matching `pattern` (SCAN, never KEYS). */
async function deleteRedisKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
