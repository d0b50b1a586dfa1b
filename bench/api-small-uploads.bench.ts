/**
 * (b) Many small uploads through the api: 2,000 files of 64 KiB, 32 at a time, beside a
 * raw Fastify server doing the least an upload service must (multipart, the file streamed
 * to a flushed file, one INSERT and one BullMQ add each), in the same run, on the same
 * database and queue server.
 *
 * Depot's side is the built api (`dist/apps/api/main.js`, production config, rate limits
 * off, request logs at `warn`): bearer auth, the bucket and quota rules, the local disk's
 * atomic write (staged, flushed, renamed, metadata sidecar), the `files` row with its usage
 * counters, the `files.process` enqueue and the File answer. The raw side is
 * `bench/support/raw-small-upload.script.ts`, compiled, with the same pool size. No worker
 * runs: files stay `pending`.
 *
 * The client keeps `concurrency` uploads in flight over keep-alive connections, each a
 * prebuilt multipart body (the same bytes every time), and times every request. After a
 * warm-up of each side, rounds interleave the two; figures are medians. For each server:
 * uploads/s, p99 latency, CPU time per upload (from /proc), and its RSS growth from just
 * before the round to the round's peak.
 *
 *     npm run bench:small-uploads -- [--count 2000] [--concurrency 32] [--size 64k] [--rounds 1] [--warmup 200] [--quick]
 *       [--api-node-args='--max-semi-space-size=8'] [--api-env='MALLOC_ARENA_MAX=2'] [--perf-stat=basic|calls]
 *
 * `--api-node-args` adds node options to the api's (after production's, so that a later
 * value of the same option wins): to measure another V8 setting against the same raw server.
 * `--api-env` sets environment variables (space-separated `NAME=value`) for the api process
 * alone: a libc setting, say. Each round logs both sides' user and system CPU per upload,
 * also by thread (the main thread against the rest: libuv's pool and V8's helpers), from
 * /proc. `--perf-stat` runs `perf stat` on each side over its round: `basic` counts page
 * faults, context switches and migrations; `calls` adds every system call by name, whose
 * tracing slows the process (the CPU figures of such a run are not comparable).
 *
 * Targets: uploads/s at least 0.8 of the raw server's; api RSS growth under 40 MB.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { queueSchemaName } from '@depot/queue';
import type { Bench, BenchOptions, BenchRow } from './support/bench-row';
import { benchApi } from './support/bench-api';
import { compileForNode } from './support/compile';
import { createTenant } from '../test/support/depot-api';
import { spawnNode } from './support/processes';
import { sampleValue, scrapeMetrics } from './support/prometheus';
import { megabytes, readMemory, RssSampler } from './support/rss-sampler';
import { parseSize, printStandalone, STANDALONE_OPTIONS, standaloneSettings } from './support/standalone';
import { withTeardown } from './support/teardown';
import { cpuTimeMs, median, nowMs, systemTimeMs, threadCpuTimes } from './support/timing';

export interface SmallUploadsSettings {
  count: number;
  concurrency: number;
  bytes: number;
  rounds: number;
  warmup: number;
  /** Node options added to the api's own (see `--api-node-args`). */
  apiNodeArgs: readonly string[];
  /** Environment variables for the api process only (see `--api-env`). */
  apiEnv?: Readonly<Record<string, string>>;
  /**
   * `perf stat` on each side over its rounds (`--perf-stat`): `basic` counts CPU time,
   * faults, context switches and migrations; `calls` adds every system call, which slows the
   * traced process (its CPU figures are then not comparable).
   */
  perfStat?: 'basic' | 'calls';
}

export const FULL_SETTINGS: SmallUploadsSettings = {
  count: 2000,
  concurrency: 32,
  bytes: 64 * 1024,
  rounds: 1,
  warmup: 200,
  apiNodeArgs: [],
};
export const QUICK_SETTINGS: SmallUploadsSettings = {
  count: 100,
  concurrency: 32,
  bytes: 64 * 1024,
  rounds: 1,
  warmup: 16,
  apiNodeArgs: [],
};

const RSS_GROWTH_LIMIT_MB = 40;

interface Sample {
  uploadsPerSecond: number;
  p99Ms: number;
  cpuPerUploadMs: number;
  rssGrowthBytes: number;
}

/** A multipart body of one file part of `bytes`, as `curl -F file=@…` sends it. */
function multipartBody(bytes: number): { body: Buffer; contentType: string } {
  const boundary = `bench-${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="small.bin"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    randomBytes(bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

function post(url: string, agent: Agent, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 201
            ? resolve(res.statusCode)
            : reject(new Error(`${url} answered ${res.statusCode}: ${text.slice(0, 500)}`)),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `count` uploads with `concurrency` in flight; the latency of each, in ms, and the wall time. */
async function uploadMany(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  count: number,
  concurrency: number,
): Promise<{ latencies: number[]; ms: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  const started = nowMs();
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) {
          next += 1;
          const sent = nowMs();
          await post(url, agent, headers, body);
          latencies.push(nowMs() - sent);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return { latencies, ms: nowMs() - started };
}

/**
 * The api's old space in use and its count of full collections, from its `/metrics`: what
 * the round promoted out of the young generation, while no full collection ran in it.
 */
async function oldSpace(appUrl: string): Promise<{ bytes: number; fullCollections: number }> {
  const samples = await scrapeMetrics(appUrl);
  return {
    bytes: sampleValue(samples, 'depot_nodejs_heap_space_size_used_bytes', { space: 'old' }) ?? Number.NaN,
    // The series appears with the first full collection the metrics saw.
    fullCollections: sampleValue(samples, 'depot_nodejs_gc_duration_seconds_count', { kind: 'major' }) ?? 0,
  };
}

/**
 * User and system CPU time of `pid`'s threads so far, in ms: the main thread's as `main`, the
 * others summed by their name (on Node 20 libuv's pool and V8's helpers are all `node`).
 */
function threadCpuMs(pid: number): Map<string, { user: number; system: number }> {
  const byName = new Map<string, { user: number; system: number }>();
  for (const { name, user, system } of threadCpuTimes(pid)) {
    const sum = byName.get(name) ?? { user: 0, system: 0 };
    sum.user += user;
    sum.system += system;
    byName.set(name, sum);
  }
  return byName;
}

/** Each thread's CPU between two {@link threadCpuMs} readings, per upload, as `name user/system` in ms. */
function threadCpuPerUpload(
  before: ReadonlyMap<string, { user: number; system: number }>,
  after: ReadonlyMap<string, { user: number; system: number }>,
  count: number,
): string {
  return [...after]
    .map(([name, now]) => {
      const then = before.get(name) ?? { user: 0, system: 0 };
      return [name, (now.user - then.user) / count, (now.system - then.system) / count] as const;
    })
    .filter(([, user, system]) => user + system >= 0.01)
    .map(([name, user, system]) => `${name} ${user.toFixed(2)}/${system.toFixed(2)}`)
    .join(', ');
}

/** The scheduler's and the memory manager's counts; with `calls`, every system call's entry too. */
const PERF_EVENTS = ['task-clock', 'page-faults', 'context-switches', 'cpu-migrations'];
const SYSCALL_EVENTS = 'syscalls:sys_enter_*';

/**
 * `perf stat` on `pid` (all its threads) from now until the returned function is called,
 * which resolves to each event's count.
 */
async function startPerfStat(pid: number, calls: boolean): Promise<() => Promise<Record<string, number>>> {
  const events = calls ? [...PERF_EVENTS, SYSCALL_EVENTS] : PERF_EVENTS;
  const child = spawn('perf', ['stat', '-x', ',', '-e', events.join(','), '-p', String(pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (text += chunk));
  const ended = new Promise<void>((resolve) => child.on('close', () => resolve()));
  // perf attaches to every thread before it counts; give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return async () => {
    child.kill('SIGINT');
    await ended;
    const counts: Record<string, number> = {};
    for (const line of text.split('\n')) {
      const [value, , event] = line.split(',');
      if (event && value && !Number.isNaN(Number(value))) counts[event] = Number(value);
    }
    return counts;
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runApiSmallUploadsBench(
  options: BenchOptions,
  settings: SmallUploadsSettings,
): Promise<BenchRow[]> {
  const { log } = options;
  const { count, concurrency, bytes, rounds, warmup, apiNodeArgs, apiEnv = {}, perfStat } = settings;
  const size = `${Math.round(bytes / 1024)} KiB`;
  return withTeardown(async (teardown) => {
    const { env, api } = await benchApi('api-small-uploads', teardown, {
      quick: options.quick,
      nodeArgs: apiNodeArgs,
      apiEnv,
    });
    const { tenantId, apiKey } = await createTenant(api, 'bench', undefined, env.adminApiKey);

    const db = new Client({ connectionString: env.databaseUrl });
    await db.connect();
    const bucketId = await db
      .query<{ id: string }>(`SELECT id FROM buckets WHERE tenant_id = $1 AND name = 'default'`, [tenantId])
      .then((result) => result.rows[0]!.id)
      .finally(() => db.end());

    const rawDir = join(env.storageRoot, 'raw');
    mkdirSync(rawDir, { recursive: true });
    const postgresQueue = env.env.QUEUE_BACKEND === 'postgres';
    const raw = spawnNode(
      'raw-small-upload',
      compileForNode('bench/support/raw-small-upload.script.ts', 'bench/support/raw-server.ts'),
      [],
      {
        env: {
          RAW_UPLOAD_DIR: rawDir,
          DATABASE_URL: env.databaseUrl,
          POOL_SIZE: String(env.config.database.poolSize),
          RAW_TENANT_ID: tenantId,
          RAW_BUCKET_ID: bucketId,
          REDIS_URL: env.redisUrl,
          // Its own queue beside the api's: the same server, none of Depot's jobs.
          QUEUE_PREFIX: `${env.queuePrefix}-raw`,
          QUEUE_BACKEND: postgresQueue ? 'postgres' : 'redis',
          BENCH_POSTGRES_SCHEMA: queueSchemaName(env.queuePrefix),
        },
      },
    );
    teardown.add(() => raw.stop());
    const { port } = await raw.nextResult<{ port: number }>(30_000);

    const { body, contentType } = multipartBody(bytes);
    const sides = {
      depot: {
        url: `${api.url}/v1/files`,
        headers: { 'content-type': contentType, authorization: `Bearer ${apiKey.key}` },
        pid: api.process.pid,
      },
      raw: { url: `http://127.0.0.1:${port}/upload`, headers: { 'content-type': contentType }, pid: raw.pid },
    };
    type Side = keyof typeof sides;

    for (const [name, value] of Object.entries(apiEnv))
      log(`api-small-uploads: the api runs with ${name}=${value}`);
    if (apiNodeArgs.length > 0) log(`api-small-uploads: the api runs with ${apiNodeArgs.join(' ')} added`);
    log(`api-small-uploads: warming up both with ${warmup} uploads`);
    for (const side of ['depot', 'raw'] as const) {
      await uploadMany(sides[side].url, sides[side].headers, body, warmup, concurrency);
    }

    const samples: Record<Side, Sample[]> = { depot: [], raw: [] };
    for (let round = 0; round < rounds; round++) {
      const order: Side[] = round % 2 === 0 ? ['depot', 'raw'] : ['raw', 'depot'];
      for (const side of order) {
        const { url, headers, pid } = sides[side];
        const oldBefore = side === 'depot' ? await oldSpace(api.url) : undefined;
        const rss = new RssSampler(pid, 20).start();
        const rssBefore = readMemory(pid)?.rssBytes ?? 0;
        const perf = perfStat ? await startPerfStat(pid, perfStat === 'calls') : undefined;
        const threadsBefore = threadCpuMs(pid);
        const cpuBefore = cpuTimeMs(pid);
        const systemBefore = systemTimeMs(pid);
        const { latencies, ms } = await uploadMany(url, headers, body, count, concurrency);
        const cpuMs = cpuTimeMs(pid) - cpuBefore;
        const systemMs = systemTimeMs(pid) - systemBefore;
        log(
          `api-small-uploads: ${side} CPU per upload: user ${((cpuMs - systemMs) / count).toFixed(2)} ms, ` +
            `system ${(systemMs / count).toFixed(2)} ms; by thread (user/system): ` +
            threadCpuPerUpload(threadsBefore, threadCpuMs(pid), count),
        );
        if (perf) {
          const counts = await perf();
          log(
            `api-small-uploads: ${side} per upload (perf stat): ` +
              Object.entries(counts)
                .filter(([, value]) => value / count >= 0.01)
                .sort(([, a], [, b]) => b - a)
                .map(
                  ([event, value]) =>
                    `${event.replace('syscalls:sys_enter_', '')} ${(value / count).toFixed(2)}`,
                )
                .join(', '),
          );
        }
        if (oldBefore) {
          const oldAfter = await oldSpace(api.url);
          const fullCollections = oldAfter.fullCollections - oldBefore.fullCollections;
          log(
            `api-small-uploads: depot old space ${megabytes(oldBefore.bytes).toFixed(1)} -> ` +
              `${megabytes(oldAfter.bytes).toFixed(1)} MB, ` +
              `${((oldAfter.bytes - oldBefore.bytes) / count / 1024).toFixed(1)} KB an upload, ` +
              `${fullCollections} full collection(s) in the round`,
          );
        }
        const peak = rss.peakBytes();
        rss.stop();
        const sample: Sample = {
          uploadsPerSecond: count / (ms / 1000),
          p99Ms: percentile(latencies, 99),
          cpuPerUploadMs: cpuMs / count,
          rssGrowthBytes: peak - rssBefore,
        };
        samples[side].push(sample);
        log(
          `api-small-uploads: ${side} ${count} × ${size} at ${sample.uploadsPerSecond.toFixed(0)} uploads/s, ` +
            `p99 ${sample.p99Ms.toFixed(1)} ms, ${sample.cpuPerUploadMs.toFixed(2)} ms CPU/upload, ` +
            `RSS ${megabytes(rssBefore).toFixed(0)} MB + ${megabytes(sample.rssGrowthBytes).toFixed(1)} MB`,
        );
      }
    }
    const figure = (side: Side, pick: (sample: Sample) => number): number => median(samples[side].map(pick));
    const label = `${count.toLocaleString('en')} × ${size}, ${concurrency} at a time`;
    return [
      {
        figure: `(b) ${label}: uploads/s through the api vs raw Fastify + multipart + flushed file + INSERT + enqueue`,
        depot: { value: figure('depot', (s) => s.uploadsPerSecond), unit: 'uploads/s' },
        baseline: { value: figure('raw', (s) => s.uploadsPerSecond), unit: 'uploads/s' },
        target: { kind: 'ratio-min', min: 0.8 },
      },
      {
        figure: `(b) ${label}: p99 latency`,
        depot: { value: figure('depot', (s) => s.p99Ms), unit: 'ms' },
        baseline: { value: figure('raw', (s) => s.p99Ms), unit: 'ms' },
        target: { kind: 'none' },
      },
      {
        figure: `(b) ${label}: server CPU time per upload`,
        depot: { value: figure('depot', (s) => s.cpuPerUploadMs), unit: 'ms' },
        baseline: { value: figure('raw', (s) => s.cpuPerUploadMs), unit: 'ms' },
        target: { kind: 'none' },
        note: 'What uploads/s comes down to when the server is CPU-bound, and steadier on a shared machine.',
      },
      {
        figure: `(b) ${label}: server RSS growth during the uploads (baseline: the raw server's)`,
        depot: { value: megabytes(figure('depot', (s) => s.rssGrowthBytes)), unit: 'MB' },
        baseline: { value: megabytes(figure('raw', (s) => s.rssGrowthBytes)), unit: 'MB' },
        target: { kind: 'depot-max', max: RSS_GROWTH_LIMIT_MB, unit: 'MB' },
        note: `From just before the measured round (after ${warmup} warm-up uploads) to its peak.`,
      },
    ];
  });
}

export const apiSmallUploadsBench: Bench = (options) =>
  runApiSmallUploadsBench(options, options.quick ? QUICK_SETTINGS : FULL_SETTINGS);

if (require.main === module) {
  printStandalone(
    runApiSmallUploadsBench(
      STANDALONE_OPTIONS,
      standaloneSettings(QUICK_SETTINGS, FULL_SETTINGS, {
        count: (settings, value) => (settings.count = Number(value)),
        concurrency: (settings, value) => (settings.concurrency = Number(value)),
        size: (settings, value) => (settings.bytes = parseSize(value)),
        rounds: (settings, value) => (settings.rounds = Number(value)),
        warmup: (settings, value) => (settings.warmup = Number(value)),
        'api-node-args': (settings, value) => (settings.apiNodeArgs = value.split(/\s+/).filter(Boolean)),
        'api-env': (settings, value) =>
          (settings.apiEnv = Object.fromEntries(
            value
              .split(/\s+/)
              .filter(Boolean)
              .map((pair) => {
                const at = pair.indexOf('=');
                if (at <= 0) throw new Error(`--api-env takes NAME=value pairs, not ${pair}`);
                return [pair.slice(0, at), pair.slice(at + 1)];
              }),
          )),
        'perf-stat': (settings, value) => {
          if (value !== 'basic' && value !== 'calls')
            throw new Error(`--perf-stat takes basic or calls, not ${value}`);
          settings.perfStat = value;
        },
      }),
    ),
  );
}
