import { Redis } from 'ioredis';
import type { RedisConfig } from '@depot/config';
import { redisAddress, redisOptions } from './redis.options';
import type { Dependency } from '@depot/observability';

/** Connects once and sends PING; throws when Redis does not answer. */
export async function probeRedis(config: RedisConfig): Promise<void> {
  const client = new Redis({
    ...redisOptions(config),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let cause: Error | undefined;
  client.on('error', (error: Error) => (cause ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    // ioredis rejects with "Connection is closed"; the socket's own error says why.
    throw cause ?? error;
  } finally {
    client.disconnect();
  }
}

/** Redis as a boot dependency of an app (see `runApp` in @depot/runtime). */
export function redisDependency(config: RedisConfig): Dependency {
  return { name: 'Redis', address: redisAddress(config), probe: () => probeRedis(config) };
}
