import './register-aliases';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { dropDatabase } from '@depot/database';
import { globalState } from './global-setup';
import { testEnv } from './test-env';
import { runVariables, WORKER_COUNT_VARIABLE, workerVariables } from './worker-env';

async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Drops this run's databases (their queue schemas with them), its Redis queue keys on the
 * redis backend, and its storage folders, the workers' copies included; stops the run's
 * embedded PostgreSQL if it had one.
 */
export default async function globalTeardown(): Promise<void> {
  const env = testEnv();
  const run = runVariables(process.env)!;
  const workers = Array.from({ length: Number(process.env[WORKER_COUNT_VARIABLE] ?? '1') }, (_, index) =>
    workerVariables(run, index + 1),
  );
  for (const worker of workers) rmSync(worker.STORAGE_LOCAL_ROOT, { recursive: true, force: true });
  const embedded = globalState.depotTests?.embeddedPostgres;
  if (embedded) await embedded.dispose();
  else await Promise.all(workers.map((worker) => dropDatabase(worker.DATABASE_URL)));
  // The workers' prefixes start with the run's: one pattern finds them all.
  if (process.env.QUEUE_BACKEND !== 'postgres') await deleteQueueKeys(env.redisUrl, env.queuePrefix);
}
