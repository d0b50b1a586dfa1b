import './register-aliases';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { dropDatabase } from '@depot/database';
import { testEnv } from './test-env';

/** Drops this run's database, its queue keys and its storage folder. */
export default async function globalTeardown(): Promise<void> {
  const env = testEnv();
  await dropDatabase(env.databaseUrl);
  rmSync(env.storageRoot, { recursive: true, force: true });
  const redis = new Redis(env.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.queuePrefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
