/**
 * Child process of the worker benchmark, raw side: what processing a file costs with no
 * framework, queue or database: stream it (1 MiB reads), SHA-256 every byte, rename it
 * from `incoming/` to `files/`, `concurrency` files at a time. (g)'s reference runs two of
 * these processes, each on half of the files. Driven over IPC like the
 * queue benchmark's consumers: each command names a folder with an `incoming/` subfolder
 * of inputs; the answer is how long the lot took. `"stop"` ends it.
 *
 * Self-contained (no imports from the repository), so that it is compiled ahead and run
 * with plain `node` (compile.ts): its memory is the baseline's, not a transpiler's.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';

const MiB = 1024 * 1024;
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
/** The line BenchProcess.request waits for (see processes.ts). */
const reportResult = (value: unknown): void => {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(value)}\n`);
};

export interface RawProcessCommand {
  dir: string;
  concurrency: number;
}

export interface RawProcessResult {
  files: number;
  bytes: number;
  ms: number;
  /** When the first read started, on the wall clock (epoch ms): several scripts' lots are timed together from it. */
  startedAt: number;
}

async function processOne(dir: string, name: string): Promise<number> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(join(dir, 'incoming', name), { highWaterMark: MiB })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  hash.digest('hex');
  await rename(join(dir, 'incoming', name), join(dir, 'files', name));
  return bytes;
}

async function processAll({ dir, concurrency }: RawProcessCommand): Promise<RawProcessResult> {
  const names = await readdir(join(dir, 'incoming'));
  await mkdir(join(dir, 'files'), { recursive: true });
  const startedAt = Date.now();
  const start = nowMs();
  let next = 0;
  let bytes = 0;
  const lane = async (): Promise<void> => {
    while (next < names.length) bytes += await processOne(dir, names[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, lane));
  return { files: names.length, bytes, ms: nowMs() - start, startedAt };
}

reportResult({ ready: true });
let chain = Promise.resolve();
process.on('message', (message: RawProcessCommand | 'stop') => {
  chain = chain
    .then(async () => {
      if (message === 'stop') {
        process.removeAllListeners('message');
        process.disconnect?.();
        return;
      }
      reportResult(await processAll(message));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
});
