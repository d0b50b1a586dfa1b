/**
 * The per-run environment the global setup creates: its own database, queue prefix and
 * storage folder, so two test runs on one machine never collide. Test files read it
 * from here; child processes (the apps under test) inherit it through `process.env`.
 */
export interface TestEnv {
  databaseUrl: string;
  queuePrefix: string;
  storageRoot: string;
  redisUrl: string;
  /** `queue.backend` of this run: the runner (`npm test`) runs the suite on each. */
  queueBackend: 'redis' | 'postgres';
}

export function testEnv(): TestEnv {
  const { DATABASE_URL, QUEUE_PREFIX, STORAGE_LOCAL_ROOT, REDIS_URL, QUEUE_BACKEND } = process.env;
  if (!DATABASE_URL || !QUEUE_PREFIX || !STORAGE_LOCAL_ROOT) {
    throw new Error('test/support/global-setup.ts has not run: start tests with jest (npm run test:jest)');
  }
  return {
    databaseUrl: DATABASE_URL,
    queuePrefix: QUEUE_PREFIX,
    storageRoot: STORAGE_LOCAL_ROOT,
    redisUrl: REDIS_URL ?? 'redis://127.0.0.1:6379',
    queueBackend: QUEUE_BACKEND === 'postgres' ? 'postgres' : 'redis',
  };
}
