/**
 * (h) A 1 GiB resumable upload through the api (tus 1.0.0, 8 MiB PATCHes, as tus-js-client
 * or Uppy send it) beside the multipart upload of the same size to the same api, in the
 * same run, and the api's peak RSS while it takes the tus upload.
 *
 * Both go to the local disk of one built api (`dist/apps/api/main.js`, production config,
 * rate limits off). The tus side is one POST (creation) and then one PATCH per 8 MiB over
 * a keep-alive connection: each PATCH is authenticated, takes the upload's PostgreSQL
 * advisory lock, appends to the upload's file and records the offset; the last one moves
 * the file to `incoming/`, records it `pending` and enqueues it. The multipart side is
 * `POST /v1/files` with the whole file in one body. The clock runs from the first request
 * to the last response. No worker runs; each upload's bytes are removed afterwards
 * (untimed), after a `sync` so one round's write-back does not slow the next.
 *
 *     npm run bench -- --only api-tus [--quick]
 *     SWC_NODE_PROJECT=tsconfig.cli.json node -r @swc-node/register bench/api-tus.bench.ts \
 *       [--quick] [--size 256MiB] [--rounds 4]
 *
 * Targets: tus at least 0.9 of multipart; api peak RSS under 150 MB.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Bench, BenchOptions, BenchRow } from './support/bench-row';
import { benchApi } from './support/bench-api';
import { createTenant } from '../test/support/depot-api';
import { patternStream } from './support/inputs';
import { postMultipart } from './support/multipart-upload';
import { megabytes, readMemory, RssSampler } from './support/rss-sampler';
import { parseSize, printStandalone, STANDALONE_OPTIONS, standaloneSettings } from './support/standalone';
import { withTeardown } from './support/teardown';
import {
  cpuTimeMs,
  GiB,
  interleave,
  mbPerSecond,
  median,
  MiB,
  nowMs,
  settleMsBefore,
  sleep,
  systemTimeMs,
} from './support/timing';

export interface TusBenchSizes {
  bytes: number;
  chunkBytes: number;
  rounds: number;
}

export const FULL_SIZES: TusBenchSizes = { bytes: GiB, chunkBytes: 8 * MiB, rounds: 3 };
export const QUICK_SIZES: TusBenchSizes = { bytes: 32 * MiB, chunkBytes: 8 * MiB, rounds: 1 };

const RSS_LIMIT_MB = 150;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP exchange; `bytes` of generated content as the body when given. */
function send(
  url: string,
  agent: Agent,
  method: string,
  headers: Record<string, string>,
  bytes?: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (bytes === undefined) req.end();
    else pipeline(patternStream(bytes), req).catch(reject);
  });
}

/** A whole tus upload: creation, then PATCHes of `chunkBytes`; resolves with the milliseconds taken. */
async function tusUpload(apiUrl: string, key: string, sizes: TusBenchSizes): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const auth = { authorization: `Bearer ${key}`, 'tus-resumable': '1.0.0' };
  try {
    const started = nowMs();
    const created = await send(`${apiUrl}/v1/uploads`, agent, 'POST', {
      ...auth,
      'upload-length': String(sizes.bytes),
      'upload-metadata': `filename ${Buffer.from('bench.bin').toString('base64')}`,
    });
    if (created.status !== 201) throw new Error(`tus creation answered ${created.status}: ${created.body}`);
    const url = `${apiUrl}${String(created.headers.location)}`;
    for (let offset = 0; offset < sizes.bytes; offset += sizes.chunkBytes) {
      const length = Math.min(sizes.chunkBytes, sizes.bytes - offset);
      const patched = await send(
        url,
        agent,
        'PATCH',
        {
          ...auth,
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
          'content-length': String(length),
        },
        length,
      );
      if (patched.status !== 204)
        throw new Error(`PATCH at ${offset} answered ${patched.status}: ${patched.body}`);
    }
    return nowMs() - started;
  } finally {
    agent.destroy();
  }
}

function describeSize(bytes: number): string {
  return bytes >= GiB && bytes % GiB === 0 ? `${bytes / GiB} GiB` : `${Math.round(bytes / MiB)} MiB`;
}

async function settle(bytes: number): Promise<void> {
  execFileSync('sync');
  await sleep(settleMsBefore(bytes));
}

export async function runApiTusBench(options: BenchOptions, sizes: TusBenchSizes): Promise<BenchRow[]> {
  const { log } = options;
  const size = describeSize(sizes.bytes);
  const chunk = describeSize(sizes.chunkBytes);
  return withTeardown(async (teardown) => {
    const { env, api } = await benchApi('api-tus', teardown, {
      quick: options.quick,
      maxFileBytes: sizes.bytes,
    });
    const { key } = (await createTenant(api, 'bench', undefined, env.adminApiKey)).apiKey;
    const rss = new RssSampler(api.process.pid, 20).start();
    teardown.add(() => Promise.resolve(rss.stop()));
    const tusPeaks: number[] = [];
    /** Resident set just before each tus upload, to tell the app's footprint from the upload's. */
    const tusIdles: number[] = [];
    const multipartPeaks: number[] = [];
    /** The api's CPU time per upload, in ms: steadier than MB/s on a shared machine. */
    const tusCpu: number[] = [];
    const multipartCpu: number[] = [];
    const clear = (): void => {
      rmSync(join(env.storageRoot, 'tenants'), { recursive: true, force: true });
      rmSync(join(env.storageRoot, 'uploads'), { recursive: true, force: true });
    };

    log(`api-tus: ${sizes.rounds} round(s) of ${size} (tus in ${chunk} PATCHes, and multipart), interleaved`);
    const samples = await interleave(sizes.rounds, {
      tus: async () => {
        await settle(sizes.bytes);
        rss.resetPeak();
        tusIdles.push(readMemory(api.process.pid)?.rssBytes ?? 0);
        const cpuBefore = cpuTimeMs(api.process.pid);
        const systemBefore = systemTimeMs(api.process.pid);
        const ms = await tusUpload(api.url, key, sizes);
        tusCpu.push(cpuTimeMs(api.process.pid) - cpuBefore);
        const system = systemTimeMs(api.process.pid) - systemBefore;
        tusPeaks.push(rss.peakBytes());
        clear();
        const rate = mbPerSecond(sizes.bytes, ms);
        log(
          `api-tus: tus ${size} at ${rate.toFixed(0)} MB/s, api CPU ${tusCpu.at(-1)} ms (system ${system}), ` +
            `api peak RSS ${megabytes(tusPeaks.at(-1)!).toFixed(0)} MB`,
        );
        return rate;
      },
      multipart: async () => {
        await settle(sizes.bytes);
        rss.resetPeak();
        const cpuBefore = cpuTimeMs(api.process.pid);
        const systemBefore = systemTimeMs(api.process.pid);
        const result = await postMultipart(
          `${api.url}/v1/files`,
          { authorization: `Bearer ${key}` },
          sizes.bytes,
        );
        multipartCpu.push(cpuTimeMs(api.process.pid) - cpuBefore);
        const system = systemTimeMs(api.process.pid) - systemBefore;
        multipartPeaks.push(rss.peakBytes());
        if (result.status !== 201) throw new Error(`the api answered ${result.status}: ${result.body}`);
        clear();
        const rate = mbPerSecond(sizes.bytes, result.ms);
        log(
          `api-tus: multipart ${size} at ${rate.toFixed(0)} MB/s, api CPU ${multipartCpu.at(-1)} ms (system ${system})`,
        );
        return rate;
      },
    });

    return [
      {
        figure: `(h) ${size} tus upload in ${chunk} PATCHes through the api, vs the multipart upload of the same size`,
        depot: { value: median(samples.tus), unit: 'MB/s' },
        baseline: { value: median(samples.multipart), unit: 'MB/s' },
        target: { kind: 'ratio-min', min: 0.9 },
      },
      {
        figure: `(h) ${size} tus upload: api CPU time per upload (baseline: the multipart upload's)`,
        depot: { value: median(tusCpu), unit: 'ms' },
        baseline: { value: median(multipartCpu), unit: 'ms' },
        target: { kind: 'none' },
      },
      {
        figure: `(h) api peak RSS during the ${size} tus upload (baseline: during the multipart upload)`,
        depot: { value: megabytes(Math.max(...tusPeaks)), unit: 'MB' },
        baseline: { value: megabytes(Math.max(...multipartPeaks)), unit: 'MB' },
        target: { kind: 'depot-max', max: RSS_LIMIT_MB, unit: 'MB' },
      },
      {
        figure: `(h) of which: growth during the ${size} tus upload (baseline: the api at rest before it)`,
        depot: {
          value: megabytes(Math.max(...tusPeaks.map((peak, index) => peak - tusIdles[index]!))),
          unit: 'MB',
        },
        baseline: { value: megabytes(median(tusIdles)), unit: 'MB' },
        target: { kind: 'none' },
        note: 'The api at rest already holds most of the peak (see (b)); a tus upload streams, each PATCH to the file.',
      },
    ];
  });
}

export const apiTusBench: Bench = (options) =>
  runApiTusBench(options, options.quick ? QUICK_SIZES : FULL_SIZES);

if (require.main === module) {
  printStandalone(
    runApiTusBench(
      STANDALONE_OPTIONS,
      standaloneSettings(QUICK_SIZES, FULL_SIZES, {
        size: (sizes, value) => (sizes.bytes = parseSize(value)),
        rounds: (sizes, value) => (sizes.rounds = Number(value)),
      }),
    ),
  );
}
