import { type ConnectionOptions, Queue } from 'bullmq';
import { loadConfig } from '@depot/config';
import { type QueueName, useQueueBackend } from '@depot/queue';
import { testEnv } from './test-env';

/**
 * Connection options for BullMQ classes a test makes itself, on this run's queue backend
 * (redis or postgres, as `QUEUE_BACKEND` says); from here on this process builds its
 * Queues and Workers on that backend.
 */
export async function testQueueConnection(
  prefix = testEnv().queuePrefix,
  databaseUrl = testEnv().databaseUrl,
): Promise<ConnectionOptions> {
  // On the postgres backend the queue lives in the apps' database: a test with a database of
  // its own names it.
  const { config } = loadConfig({ env: { ...process.env, QUEUE_PREFIX: prefix, DATABASE_URL: databaseUrl } });
  return (await useQueueBackend(config)).connection;
}

/** A queue on this run's backend, for tests that look at the jobs the apps enqueued. Close it in afterAll. */
export async function testQueue(
  name: QueueName,
  prefix = testEnv().queuePrefix,
  databaseUrl = testEnv().databaseUrl,
): Promise<Queue> {
  return new Queue(name, { connection: await testQueueConnection(prefix, databaseUrl), prefix });
}
