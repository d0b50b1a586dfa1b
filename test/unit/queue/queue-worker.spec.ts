import { Redis } from 'ioredis';
import type { QueueConfig, RedisConfig } from '@depot/config';
import { redisOptions } from '@depot/queue';
import { queueWorkerOptions } from '../../../libs/queue/src/queue-worker';
import { producerRedisOptions } from '../../../libs/queue/src/redis.options';

const queue = { backend: 'redis', lockDurationMs: 4000, stalledIntervalMs: 1500 } as QueueConfig;
// Nothing listens on port 1: the client is refused and keeps reconnecting.
const nowhere: RedisConfig = { url: 'redis://127.0.0.1:1', connectTimeoutMs: 500 };

describe('queue worker options', () => {
  it('take lock and stall-check timings from config, and keep the offline queue on the connection', () => {
    const options = queueWorkerOptions(queue, {
      connection: { host: 'redis.internal', port: 6380, enableOfflineQueue: false },
      prefix: 'depot',
    });
    expect(options).toMatchObject({
      lockDuration: 4000,
      stalledInterval: 1500,
      prefix: 'depot',
      connection: { host: 'redis.internal', port: 6380, enableOfflineQueue: true },
    });
  });

  it("leave a PostgreSQL connection as it is on the postgres backend (the offline queue is ioredis's)", () => {
    const connection = { connectionString: 'postgres://db.internal/depot', schema: 'depot' };
    const options = queueWorkerOptions({ ...queue, backend: 'postgres' }, { connection });
    expect(options.connection).toBe(connection);
    expect(options).toMatchObject({ lockDuration: 4000, stalledInterval: 1500 });
  });

  it("let a processor's own options win over the configured timings", () => {
    const options = queueWorkerOptions(queue, { connection: {}, lockDuration: 60_000, concurrency: 4 });
    expect(options).toMatchObject({ lockDuration: 60_000, stalledInterval: 1500, concurrency: 4 });
  });
});

describe('producer connections', () => {
  it('fail a command at once while Redis is unreachable, where a worker connection waits for it', async () => {
    const producer = new Redis({ ...producerRedisOptions(nowhere), lazyConnect: true });
    const worker = new Redis({ ...redisOptions(nowhere), lazyConnect: true, maxRetriesPerRequest: null });
    for (const client of [producer, worker]) {
      client.on('error', () => undefined);
      client.connect().catch(() => undefined);
    }
    try {
      await expect(producer.ping()).rejects.toThrow(/enableOfflineQueue/);
      let settled = false;
      worker.ping().then(
        () => (settled = true),
        () => (settled = true),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
    } finally {
      producer.disconnect();
      worker.disconnect();
    }
  });
});
