/**
 * Child process of the upload benchmark, raw side: Fastify with @fastify/multipart, one
 * route that streams the file part to a file with `stream.pipeline` (1 MiB writes), then,
 * with `RAW_UPLOAD_FSYNC=1`, flushes it to the device and renames it into place, as
 * Depot's local disk does. No auth, no database, no queue, no limits: the floor an upload
 * can cost. Writes `BENCH_RESULT {"port": ...}` once listening.
 *
 * Packages only (and the shared raw-server.ts), so that it runs compiled (`compileForNode`): its memory
 * is then comparable with the api's, with no transpiler loaded.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import Fastify from 'fastify';
import { serveForBench } from './raw-server';

const MiB = 1024 * 1024;

const dir = process.env.RAW_UPLOAD_DIR!;
const fsync = process.env.RAW_UPLOAD_FSYNC === '1';

async function main(): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  await app.register(multipart, { limits: { fileSize: Number.MAX_SAFE_INTEGER, files: 1 } });
  app.post('/upload', async (request, reply) => {
    const part = await request.file();
    if (!part) return reply.status(400).send({ error: 'no file' });
    const id = randomUUID();
    const staged = join(dir, `${id}.part`);
    await pipeline(part.file, createWriteStream(staged, { highWaterMark: MiB }));
    if (fsync) {
      const handle = await open(staged, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await rename(staged, join(dir, id));
    return reply.status(201).send({ id });
  });
  await serveForBench(app);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
