import './register-aliases';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { dropDatabase } from '@depot/database';
import { globalState } from './global-setup';
import { testEnv } from './test-env';

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
 * Drops this run's database (its queue schemas with it), its Redis queue keys on the redis
 * backend, and its storage folder; stops the run's embedded PostgreSQL if it had one.
 */
export default async function globalTeardown(): Promise<void> {
  const env = testEnv();
  rmSync(env.storageRoot, { recursive: true, force: true });
  const embedded = globalState.depotTests?.embeddedPostgres;
  if (embedded) await embedded.dispose();
  else await dropDatabase(env.databaseUrl);
  if (process.env.QUEUE_BACKEND !== 'postgres') await deleteQueueKeys(env.redisUrl, env.queuePrefix);
}
