/**
 * Child process of the queue benchmark, raw side: a bare BullMQ Worker whose handler does
 * nothing, driven and timed by {@link serveConsumeCommands} exactly as Depot's job host is.
 *
 * Environment: REDIS_URL, QUEUE_PREFIX (the queue it consumes).
 */
import { Worker } from 'bullmq';
import { serveConsumeCommands } from './consumer-loop';

async function main(): Promise<void> {
  const url = new URL(process.env.REDIS_URL!);
  const worker = new Worker('files', async () => undefined, {
    connection: { host: url.hostname, port: Number(url.port || 6379) },
    prefix: process.env.QUEUE_PREFIX,
    autorun: false,
  });
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
