import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { type DepotConfig, loadConfig } from '@depot/config';
import { copyDatabase, dataSourceOptions, dropDatabase, ensureDatabase } from '@depot/database';
import { migrateQueueBackend, probeRedis } from '@depot/queue';
import { ENTITIES } from '../../database/entities';
import { ROOT } from '../../test/support/app-launch';
import { onInterrupt, onRunEnd } from './processes';

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
    const template = await migratedTemplate(databaseUrl, config);
    const copy = copies.then(() => copyDatabase(template, env.DATABASE_URL!));
    copies = copy.catch(() => undefined);
    await copy;
    created = true;
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

/** The migrated database each benchmark's own is copied from: its URL once made, and the making. */
let template: { url: string; made: Promise<void> } | undefined;
/** One copy at a time: PostgreSQL copies a template only while nobody is connected to it. */
let copies: Promise<unknown> = Promise.resolve();

/**
 * The run's migrated database, made once per process on the server of `serverUrl`. Copying it
 * takes a fraction of migrating a new database, which every benchmark otherwise did
 * (`CREATE DATABASE ... TEMPLATE`, as the test suite's workers get theirs). The end of the
 * run drops it ({@link disposeBenchTemplate}).
 */
async function migratedTemplate(serverUrl: URL, config: DepotConfig): Promise<string> {
  if (!template) {
    const url = new URL(serverUrl);
    url.pathname = `/depot_bench_template_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    onInterrupt(disposeBenchTemplate);
    onRunEnd(disposeBenchTemplate);
    template = { url: url.toString(), made: migrate(url.toString(), config) };
  }
  await template.made;
  return template.url;
}

/** Creates the database at `url` and runs the migrations on it, as database/data-source.ts would. */
async function migrate(url: string, config: DepotConfig): Promise<void> {
  await ensureDatabase(url);
  // Built here rather than imported from database/data-source.ts, whose default export would
  // load the process's own configuration.
  const dataSource = new DataSource({
    ...dataSourceOptions({ ...config.database, url }),
    entities: ENTITIES,
    migrations: [join(ROOT, 'database/migrations/*.{ts,js}')],
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

/** Drops the template database, if this process made one (at the end of the run). */
async function disposeBenchTemplate(): Promise<void> {
  const made = template;
  template = undefined;
  if (made) await dropDatabase(made.url);
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
