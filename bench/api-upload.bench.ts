/**
 * (b) A 1 GiB upload through the api to the local disk, beside a raw Fastify handler
 * streaming the same multipart body to a file, in the same run.
 *
 * Depot's side is the built api (`dist/apps/api/main.js`, production config, rate limits
 * off): bearer auth, multipart parsing, the size limit counted on the stream, the local
 * disk's atomic write (staged file, flushed, renamed, metadata sidecar), the `files` row
 * and the `files.process` enqueue. The raw side is Fastify + @fastify/multipart piping the
 * part to a file: once flushed and renamed like Depot's disk (the durable baseline the
 * target is measured against), and once as a bare `pipeline`, for the record.
 *
 * The client sends one generated 1 MiB chunk repeated, with a Content-Length, over a fresh
 * connection. Before each upload `sync` writes back what earlier ones left dirty; each
 * upload's file is deleted afterwards (untimed). Rounds interleave the three variants;
 * figures are medians. The api's peak RSS is sampled every 20 ms (and the kernel's
 * high-water mark) during its uploads, its boot excluded.
 *
 *     npm run bench:upload -- [--size 1GiB] [--rounds 3] [--quick]
 *
 * Targets: ratio to the durable raw baseline at least 0.9 (issue 12); api peak RSS under 150 MB.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench, BenchOptions, BenchRow } from './support/bench-row';
import { benchApi } from './support/bench-api';
import { createTenant } from '../test/support/depot-api';
import { postMultipart } from './support/multipart-upload';
import { compileForNode } from './support/compile';
import { type BenchProcess, spawnNode } from './support/processes';
import { megabytes, readMemory, RssSampler } from './support/rss-sampler';
import { parseSize, printStandalone, STANDALONE_OPTIONS, standaloneSettings } from './support/standalone';
import { type Teardown, withTeardown } from './support/teardown';
import {
  cpuTimeMs,
  GiB,
  interleave,
  mbPerSecond,
  median,
  MiB,
  settleMsBefore,
  sleep,
} from './support/timing';

export interface UploadBenchSizes {
  bytes: number;
  rounds: number;
}

export const FULL_SIZES: UploadBenchSizes = { bytes: GiB, rounds: 3 };
export const QUICK_SIZES: UploadBenchSizes = { bytes: 32 * MiB, rounds: 1 };

const RSS_LIMIT_MB = 150;

function describeSize(bytes: number): string {
  return bytes >= GiB && bytes % GiB === 0 ? `${bytes / GiB} GiB` : `${Math.round(bytes / MiB)} MiB`;
}

function settle(bytes: number): Promise<void> {
  execFileSync('sync');
  return sleep(settleMsBefore(bytes));
}

function emptyFolder(folder: string): void {
  for (const entry of readdirSync(folder)) rmSync(join(folder, entry), { recursive: true, force: true });
}

async function startRaw(
  name: string,
  dir: string,
  fsync: boolean,
  teardown: Teardown,
): Promise<{ process: BenchProcess; url: string }> {
  mkdirSync(dir, { recursive: true });
  const child = spawnNode(
    name,
    compileForNode('bench/support/raw-upload.script.ts', 'bench/support/raw-server.ts'),
    [],
    {
      env: { RAW_UPLOAD_DIR: dir, RAW_UPLOAD_FSYNC: fsync ? '1' : '0' },
    },
  );
  teardown.add(() => child.stop());
  const { port } = await child.nextResult<{ port: number }>(30_000);
  return { process: child, url: `http://127.0.0.1:${port}/upload` };
}

export async function runApiUploadBench(options: BenchOptions, sizes: UploadBenchSizes): Promise<BenchRow[]> {
  const { log } = options;
  const size = describeSize(sizes.bytes);
  return withTeardown(async (teardown) => {
    // The raw servers boot beside the api.
    const {
      env,
      api,
      alongside: [rawDurable, rawPlain],
    } = await benchApi('api-upload', teardown, {
      quick: options.quick,
      maxFileBytes: sizes.bytes,
      alongside: (env) =>
        Promise.all([
          startRaw('raw-upload-fsync', join(env.storageRoot, 'raw-fsync'), true, teardown),
          startRaw('raw-upload', join(env.storageRoot, 'raw-plain'), false, teardown),
        ]),
    });
    const { key } = (await createTenant(api, 'bench', undefined, env.adminApiKey)).apiKey;

    const rss = new RssSampler(api.process.pid, 20).start();
    const rawRss = new RssSampler(rawDurable.process.pid, 20).start();
    const peaks: number[] = [];
    const rawPeaks: number[] = [];
    /** Resident set just before each upload, to tell the app's footprint from the upload's. */
    const idles: number[] = [];
    const rawIdles: number[] = [];
    /** Server CPU time per upload, in ms: steadier than MB/s on a shared machine. */
    const cpu: number[] = [];
    const rawCpu: number[] = [];
    const depotUpload = async (): Promise<number> => {
      await settle(sizes.bytes);
      rss.resetPeak();
      idles.push(readMemory(api.process.pid)?.rssBytes ?? 0);
      const cpuBefore = cpuTimeMs(api.process.pid);
      const result = await postMultipart(
        `${api.url}/v1/files`,
        { authorization: `Bearer ${key}` },
        sizes.bytes,
      );
      peaks.push(rss.peakBytes());
      cpu.push(cpuTimeMs(api.process.pid) - cpuBefore);
      if (result.status !== 201) throw new Error(`the api answered ${result.status}: ${result.body}`);
      // No worker runs: the upload's bytes wait in incoming/. Remove them, untimed.
      rmSync(join(env.storageRoot, 'tenants'), { recursive: true, force: true });
      const rate = mbPerSecond(sizes.bytes, result.ms);
      log(
        `api-upload: depot ${size} at ${rate.toFixed(0)} MB/s, api peak RSS ${megabytes(peaks.at(-1)!).toFixed(0)} MB`,
      );
      return rate;
    };
    const rawUpload =
      (raw: { url: string }, dir: string, label: string, sampler?: RssSampler) =>
      async (): Promise<number> => {
        await settle(sizes.bytes);
        sampler?.resetPeak();
        if (sampler) rawIdles.push(readMemory(sampler.pid)?.rssBytes ?? 0);
        const cpuBefore = sampler ? cpuTimeMs(sampler.pid) : 0;
        const result = await postMultipart(raw.url, {}, sizes.bytes);
        if (sampler) rawPeaks.push(sampler.peakBytes());
        if (sampler) rawCpu.push(cpuTimeMs(sampler.pid) - cpuBefore);
        if (result.status !== 201)
          throw new Error(`the raw server answered ${result.status}: ${result.body}`);
        emptyFolder(dir);
        const rate = mbPerSecond(sizes.bytes, result.ms);
        log(`api-upload: ${label} ${size} at ${rate.toFixed(0)} MB/s`);
        return rate;
      };

    log(`api-upload: ${sizes.rounds} round(s) of ${size}, interleaved`);
    const samples = await interleave(sizes.rounds, {
      depot: depotUpload,
      rawDurable: rawUpload(rawDurable, join(env.storageRoot, 'raw-fsync'), 'raw (flushed)', rawRss),
      rawPlain: rawUpload(rawPlain, join(env.storageRoot, 'raw-plain'), 'raw (pipeline)'),
    });
    rss.stop();
    rawRss.stop();

    return [
      {
        figure: `(b) ${size} upload through the api to the local disk, vs raw Fastify streaming to a flushed file`,
        depot: { value: median(samples.depot), unit: 'MB/s' },
        baseline: { value: median(samples.rawDurable), unit: 'MB/s' },
        target: { kind: 'ratio-min', min: 0.9 },
      },
      {
        figure: `(b) ${size} upload through the api, vs raw Fastify piping to a file without flushing`,
        depot: { value: median(samples.depot), unit: 'MB/s' },
        baseline: { value: median(samples.rawPlain), unit: 'MB/s' },
        target: { kind: 'none' },
        note: 'Depot flushes every upload to the device before it answers 201; this baseline does not.',
      },
      {
        figure: `(b) ${size} upload: server CPU time per upload (baseline: the raw flushed server's)`,
        depot: { value: median(cpu), unit: 'ms' },
        baseline: { value: median(rawCpu), unit: 'ms' },
        target: { kind: 'none' },
      },
      {
        figure: `(b) api peak RSS during the ${size} upload (baseline: the raw server's)`,
        depot: { value: megabytes(Math.max(...peaks)), unit: 'MB' },
        baseline: { value: megabytes(Math.max(...rawPeaks)), unit: 'MB' },
        target: { kind: 'depot-max', max: RSS_LIMIT_MB, unit: 'MB' },
      },
      {
        figure: `(b) of which: resident before the upload, the app at rest (baseline: the raw server's)`,
        depot: { value: megabytes(median(idles)), unit: 'MB' },
        baseline: { value: megabytes(median(rawIdles)), unit: 'MB' },
        target: { kind: 'none' },
      },
      {
        figure: `(b) of which: growth during the ${size} upload (baseline: the raw server's)`,
        depot: {
          value: megabytes(Math.max(...peaks.map((peak, index) => peak - idles[index]!))),
          unit: 'MB',
        },
        baseline: {
          value: megabytes(Math.max(...rawPeaks.map((peak, index) => peak - rawIdles[index]!))),
          unit: 'MB',
        },
        target: { kind: 'none' },
        note: 'Streamed, so it does not grow with the file: compare a --size 64MiB run.',
      },
    ];
  });
}

export const apiUploadBench: Bench = (options) =>
  runApiUploadBench(options, options.quick ? QUICK_SIZES : FULL_SIZES);

if (require.main === module) {
  printStandalone(
    runApiUploadBench(
      STANDALONE_OPTIONS,
      standaloneSettings(QUICK_SIZES, FULL_SIZES, {
        size: (sizes, value) => (sizes.bytes = parseSize(value)),
        rounds: (sizes, value) => (sizes.rounds = Number(value)),
      }),
    ),
  );
}
