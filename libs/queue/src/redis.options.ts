import type { RedisOptions } from 'bullmq';
import type { RedisConfig } from '@depot/config';

/** ioredis options from `redis.url` (redis:// or rediss://, with optional user, password and db). */
export function redisOptions(config: RedisConfig): RedisOptions {
  const url = new URL(config.url);
  const db = Number(url.pathname.replace(/^\//, '') || 0);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: config.connectTimeoutMs,
    // Reconnect for ever with a capped delay: an outage is ridden out, not fatal.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
}

/**
 * For queues: producers, the admin endpoints, queue-depth metrics and readiness. While Redis
 * is unreachable a command fails at once instead of waiting in ioredis's offline queue for a
 * reconnect, so an upload or a scrape during an outage answers promptly. Workers keep the
 * offline queue (see `queueWorkerOptions`).
 */
export function producerRedisOptions(config: RedisConfig): RedisOptions {
  return { ...redisOptions(config), enableOfflineQueue: false };
}

/** `host:port` for messages, never the password. */
export function redisAddress(config: RedisConfig): string {
  const url = new URL(config.url);
  return `${url.hostname}:${url.port || 6379}`;
}
