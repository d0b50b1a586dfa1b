/**
 * Child process of the queue benchmark, raw side: a bare BullMQ Worker whose handler does
 * nothing, driven and timed by {@link serveConsumeCommands} exactly as Depot's job host is.
 *
 * Environment: REDIS_URL, QUEUE_PREFIX (the queue it consumes); with QUEUE_BACKEND=postgres,
 * BullMQ's own PostgreSQL backend on DATABASE_URL, in schema BENCH_POSTGRES_SCHEMA.
 */
import { createPostgresBackend, Worker, withBackend } from 'bullmq';
import { serveConsumeCommands } from './consumer-loop';

function bareWorker(): Worker {
  const handler = async (): Promise<undefined> => undefined;
  if (process.env.QUEUE_BACKEND === 'postgres') {
    const { Worker: PostgresWorker } = withBackend(createPostgresBackend);
    return new PostgresWorker('files', handler, {
      connection: { connectionString: process.env.DATABASE_URL, schema: process.env.BENCH_POSTGRES_SCHEMA },
      autorun: false,
    }) as unknown as Worker;
  }
  const url = new URL(process.env.REDIS_URL!);
  return new Worker('files', handler, {
    connection: { host: url.hostname, port: Number(url.port || 6379) },
    prefix: process.env.QUEUE_PREFIX,
    autorun: false,
  });
}

async function main(): Promise<void> {
  const worker = bareWorker();
  try {
    await serveConsumeCommands(worker);
  } finally {
    await worker.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
