import { createPostgresBackend, getDefaultBackendFactory } from 'bullmq';
import type { DatabaseConfig, QueueConfig, RedisConfig } from '@depot/config';
import { queueDependency, queueSchemaName, useQueueBackend } from '@depot/queue';

const redis: RedisConfig = { url: 'redis://:secret@redis.internal:6380/2', connectTimeoutMs: 500 };
const database: DatabaseConfig = {
  url: 'postgres://depot:secret@db.internal:5433/depot',
  poolSize: 10,
  connectTimeoutMs: 1500,
  statementTimeoutMs: 0,
  logging: false,
};
const queue = (backend: QueueConfig['backend'], prefix = 'depot'): QueueConfig =>
  ({ backend, prefix }) as QueueConfig;

describe('the queue backend seam', () => {
  afterEach(() => useQueueBackend({ queue: queue('redis'), redis, database }));

  it('names the postgres schema after the prefix, as a plain identifier', () => {
    expect(queueSchemaName('depot')).toBe('depot');
    expect(queueSchemaName('depot-test-mx1.A')).toBe('depot_test_mx1_a');
    expect(queueSchemaName('9lives')).toBe('q_9lives');
    expect(queueSchemaName('x'.repeat(80))).toHaveLength(63);
  });

  it('on postgres, makes BullMQ build every queue on its PostgreSQL backend in the application database', async () => {
    const { connection, producerConnection } = await useQueueBackend({
      queue: queue('postgres', 'depot-a'),
      redis,
      database,
    });
    expect(getDefaultBackendFactory()).toBe(createPostgresBackend);
    expect(connection).toMatchObject({ connectionString: database.url, schema: 'depot_a', max: 10 });
    expect(producerConnection).toBe(connection);
  });

  it('on redis, goes back to the Redis backend: producers fail fast, workers keep the offline queue default', async () => {
    await useQueueBackend({ queue: queue('postgres'), redis, database });
    const { connection, producerConnection } = await useQueueBackend({
      queue: queue('redis'),
      redis,
      database,
    });
    expect(getDefaultBackendFactory()).not.toBe(createPostgresBackend);
    expect(connection).toMatchObject({ host: 'redis.internal', port: 6380, db: 2, password: 'secret' });
    expect(producerConnection).toMatchObject({ host: 'redis.internal', enableOfflineQueue: false });
  });

  it('declares the boot dependency of the backend, never with a password in its address', () => {
    expect(queueDependency({ queue: queue('redis'), redis, database })).toMatchObject({
      name: 'Redis',
      address: 'redis.internal:6380',
    });
    const postgres = queueDependency({ queue: queue('postgres', 'depot-b'), redis, database });
    expect(postgres.name).toBe('the queue schema in PostgreSQL');
    expect(postgres.address).toBe('db.internal:5433/depot schema depot_b');
  });
});
