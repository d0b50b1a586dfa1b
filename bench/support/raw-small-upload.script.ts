/**
 * Child process of the small-uploads benchmark, raw side: what an upload service needs at
 * the least, with nothing of Depot. Fastify with @fastify/multipart; one route that
 * streams the file part to a staged file, flushes it to the device and renames it into
 * place, then INSERTs one `files` row (Depot's own table, so its indexes are paid too) and
 * adds one BullMQ job (job id = file id), and answers 201 with the id. No auth, no quota,
 * no limits beyond multipart's. Same pool size as the api.
 *
 * Environment: RAW_UPLOAD_DIR, DATABASE_URL, POOL_SIZE, RAW_TENANT_ID, RAW_BUCKET_ID,
 * REDIS_URL and QUEUE_PREFIX (the queue it adds to); with QUEUE_BACKEND=postgres, BullMQ's
 * own PostgreSQL backend on DATABASE_URL, in schema BENCH_POSTGRES_SCHEMA. Writes
 * `BENCH_RESULT {"port": ...}` once listening.
 *
 * Packages only (and the shared raw-server.ts), so that it runs compiled (`compileForNode`).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import { createPostgresBackend, Queue, withBackend } from 'bullmq';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { serveForBench } from './raw-server';

const dir = process.env.RAW_UPLOAD_DIR!;
const tenantId = process.env.RAW_TENANT_ID!;
const bucketId = process.env.RAW_BUCKET_ID!;

function rawQueue(): Queue {
  if (process.env.QUEUE_BACKEND === 'postgres') {
    const { Queue: PostgresQueue } = withBackend(createPostgresBackend);
    return new PostgresQueue('files', {
      connection: { connectionString: process.env.DATABASE_URL, schema: process.env.BENCH_POSTGRES_SCHEMA },
    }) as unknown as Queue;
  }
  const url = new URL(process.env.REDIS_URL!);
  return new Queue('files', {
    connection: { host: url.hostname, port: Number(url.port || 6379) },
    prefix: process.env.QUEUE_PREFIX,
  });
}

async function main(): Promise<void> {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.POOL_SIZE ?? 10),
  });
  const queue = rawQueue();
  await mkdir(join(dir, 'tmp'), { recursive: true });
  const app = Fastify({ logger: false });
  await app.register(multipart, { limits: { files: 1 } });
  app.post('/upload', async (request, reply) => {
    const part = await request.file();
    if (!part) return reply.status(400).send({ error: 'no file' });
    const id = randomUUID();
    const staged = join(dir, 'tmp', id);
    let size = 0;
    part.file.on('data', (chunk: Buffer) => (size += chunk.length));
    // `flush`: fsync before the stream closes, as Depot's local disk does.
    await pipeline(part.file, createWriteStream(staged, { flags: 'wx', flush: true }));
    const key = join(dir, id);
    await rename(staged, key);
    await pool.query(
      `INSERT INTO files (id, tenant_id, bucket_id, name, size, received_bytes, content_type, status, disk, storage_key, metadata)
       VALUES ($1, $2, $3, $4, $5, $5, $6, 'pending', 'local', $7, '{}')`,
      [id, tenantId, bucketId, part.filename, size, part.mimetype, key],
    );
    await queue.add('process', { fileId: id, tenantId }, { jobId: id });
    return reply.status(201).send({ id, size });
  });
  await serveForBench(
    app,
    () => queue.close(),
    () => pool.end(),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
