/**
 * (a) Authenticated `GET /v1/files/:id`: requests per second and p99 latency of the api,
 * beside a raw Fastify + pg server doing the same lookups (the key by its prefix and a
 * constant-time hash check, then the file by id and tenant), in the same run, on the same
 * database.
 *
 * Depot's side is the built api (`dist/apps/api/main.js`, production config, rate limits
 * off, request logs at `warn`): the bearer guard, the tenant-scoped TypeORM lookup, the
 * File DTO, plus everything every request pays (request id, security headers, metrics
 * histogram, problem+json filter in reserve). The raw side is
 * `bench/support/raw-file-get.script.ts`, compiled, with the same pool size. autocannon
 * drives both from this process over keep-alive connections; rounds interleave the two
 * after a warm-up of each, and figures are medians. Each server's CPU time per request
 * (from /proc) is reported too: on a machine shared with other work, req/s swings with
 * the neighbours while CPU per request barely moves.
 *
 *     npm run bench:get -- [--duration 10] [--connections 16] [--rounds 3] [--quick]
 *
 * Target: ratio at least 0.7.
 */
import type { Bench, BenchOptions, BenchRow } from './support/bench-row';
import { benchApi, rawServerAlongside } from './support/bench-api';
import { createTenant } from '../test/support/depot-api';
import { printStandalone, STANDALONE_OPTIONS, standaloneSettings } from './support/standalone';
import { withTeardown } from './support/teardown';
import { type LoadSample, loadSample } from './support/http-load';
import { median } from './support/timing';

export interface GetBenchSettings {
  durationSeconds: number;
  connections: number;
  rounds: number;
  warmupSeconds: number;
}

export const FULL_SETTINGS: GetBenchSettings = {
  durationSeconds: 10,
  connections: 16,
  rounds: 3,
  warmupSeconds: 3,
};
export const QUICK_SETTINGS: GetBenchSettings = {
  // One second, autocannon's unit: a quick figure is one sample, for the table's shape.
  durationSeconds: 1,
  connections: 8,
  rounds: 1,
  // Half a second warms up the few routes a quick load hits.
  warmupSeconds: 0.5,
};

export async function runApiGetBench(options: BenchOptions, settings: GetBenchSettings): Promise<BenchRow[]> {
  const { log } = options;
  return withTeardown(async (teardown) => {
    // The raw server boots beside the api.
    const {
      env,
      api,
      alongside: raw,
    } = await benchApi('api-get', teardown, {
      quick: options.quick,
      alongside: rawServerAlongside('raw-file-get', 'bench/support/raw-file-get.script.ts', teardown),
    });
    const { key } = (await createTenant(api, 'bench', undefined, env.adminApiKey)).apiKey;

    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(1024)]), 'bench.bin');
    const uploaded = await fetch(`${api.url}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    if (uploaded.status !== 201)
      throw new Error(`upload answered ${uploaded.status}: ${await uploaded.text()}`);
    const { id } = (await uploaded.json()) as { id: string };

    const urls = { depot: `${api.url}/v1/files/${id}`, raw: `http://127.0.0.1:${raw.port}/v1/files/${id}` };
    const pids = { depot: api.process.pid, raw: raw.process.pid };

    const [depotBody, rawBody] = await Promise.all(
      [urls.depot, urls.raw].map(async (url) =>
        (await fetch(url, { headers: { authorization: `Bearer ${key}` } })).json(),
      ),
    );
    if (JSON.stringify(Object.keys(depotBody as object)) !== JSON.stringify(Object.keys(rawBody as object))) {
      throw new Error('the raw server does not answer the same File as the api');
    }

    const { durationSeconds, connections, rounds, warmupSeconds } = settings;
    log(`api-get: warming up both for ${warmupSeconds} s`);
    await loadSample(urls.depot, key, warmupSeconds, connections, pids.depot);
    await loadSample(urls.raw, key, warmupSeconds, connections, pids.raw);
    const samples: Record<'depot' | 'raw', LoadSample[]> = { depot: [], raw: [] };
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so neither always runs on a warmer machine.
      const order: Array<'depot' | 'raw'> = round % 2 === 0 ? ['depot', 'raw'] : ['raw', 'depot'];
      for (const side of order) {
        const sample = await loadSample(urls[side], key, durationSeconds, connections, pids[side]);
        samples[side].push(sample);
        log(
          `api-get: ${side} ${sample.rps.toFixed(0)} req/s, p99 ${sample.p99} ms, ${sample.cpuPerRequestUs.toFixed(0)} µs CPU/request`,
        );
      }
    }
    const rps = (side: 'depot' | 'raw'): number => median(samples[side].map((sample) => sample.rps));
    const p99 = (side: 'depot' | 'raw'): number => median(samples[side].map((sample) => sample.p99));
    const cpu = (side: 'depot' | 'raw'): number =>
      median(samples[side].map((sample) => sample.cpuPerRequestUs));
    return [
      {
        figure: `(a) authenticated GET /v1/files/:id, ${connections} connections (req/s)`,
        depot: { value: rps('depot'), unit: 'req/s' },
        baseline: { value: rps('raw'), unit: 'req/s' },
        target: { kind: 'ratio-min', min: 0.7 },
      },
      {
        figure: `(a) authenticated GET /v1/files/:id, ${connections} connections (p99 latency)`,
        depot: { value: p99('depot'), unit: 'ms' },
        baseline: { value: p99('raw'), unit: 'ms' },
        target: { kind: 'none' },
      },
      {
        figure: '(a) authenticated GET /v1/files/:id: server CPU time per request',
        depot: { value: cpu('depot'), unit: 'µs' },
        baseline: { value: cpu('raw'), unit: 'µs' },
        target: { kind: 'none' },
        note: 'What req/s comes down to when the server is CPU-bound, and steadier on a shared machine.',
      },
    ];
  });
}

export const apiGetBench: Bench = (options) =>
  runApiGetBench(options, options.quick ? QUICK_SETTINGS : FULL_SETTINGS);

if (require.main === module) {
  printStandalone(
    runApiGetBench(
      STANDALONE_OPTIONS,
      standaloneSettings(QUICK_SETTINGS, FULL_SETTINGS, {
        duration: (settings, value) => (settings.durationSeconds = Number(value)),
        connections: (settings, value) => (settings.connections = Number(value)),
        rounds: (settings, value) => (settings.rounds = Number(value)),
      }),
    ),
  );
}
