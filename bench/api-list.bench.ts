/**
 * (j) `GET /v1/files?bucket=…&prefix=…`, 50 a page, over 200,000 files of one tenant:
 * requests per second and p99 of the api beside a raw Fastify + pg server running the same
 * keyset query (`bench/support/raw-file-list.script.ts`), in the same run, on the same
 * database; and the same list 2,000 pages deep (a cursor to the 100,001st matching row)
 * against its first page.
 *
 * The rows are seeded with SQL (`generate_series`) into one bucket: three names in four
 * under `inbox/` (the prefix listed), one a millisecond apart, all `ready`. Depot's deep
 * cursor is made with the api's own signing secret (the bench sets it), so no one walks
 * 2,000 pages to get there. Rounds interleave the sides after a warm-up; figures are medians.
 *
 * Target: ratio at least 0.7; the deep page within 1.5× of the first (p99 latency).
 */
import { Client } from 'pg';
import { KeysetCursors } from '@depot/database';
import type { Bench, BenchOptions, BenchRow } from './support/bench-row';
import { benchApi, rawServerAlongside } from './support/bench-api';
import { createTenant } from '../test/support/depot-api';
import { printStandalone, STANDALONE_OPTIONS, standaloneSettings } from './support/standalone';
import { withTeardown } from './support/teardown';
import { type LoadSample, loadSample } from './support/http-load';
import { median } from './support/timing';

export interface ListBenchSettings {
  files: number;
  deepPages: number;
  durationSeconds: number;
  connections: number;
  rounds: number;
  warmupSeconds: number;
}

export const FULL_SETTINGS: ListBenchSettings = {
  files: 200_000,
  deepPages: 2000,
  durationSeconds: 10,
  connections: 16,
  rounds: 3,
  warmupSeconds: 3,
};
export const QUICK_SETTINGS: ListBenchSettings = {
  files: 20_000,
  deepPages: 200,
  // One second, autocannon's unit: a quick figure is one sample, for the table's shape.
  durationSeconds: 1,
  connections: 16,
  rounds: 1,
  // Half a second warms up the few routes a quick load hits.
  warmupSeconds: 0.5,
};

const PAGE = 50;
const BUCKET = 'bench';
const PREFIX = 'inbox/';

/** Seeds `count` ready files into the bucket with one INSERT; returns the id of the row `deepRow` of the listed prefix. */
async function seed(databaseUrl: string, tenantId: string, count: number, deepRow: number): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const [bucket] = (
      await client.query<{ id: string }>(`SELECT id FROM buckets WHERE tenant_id = $1 AND name = $2`, [
        tenantId,
        BUCKET,
      ])
    ).rows;
    await client.query(
      `INSERT INTO files (id, tenant_id, bucket_id, name, size, received_bytes, content_type, sha256, status,
                          disk, storage_key, created_at, updated_at)
       SELECT gen_random_uuid(), $1, $2,
              CASE WHEN i % 4 = 0 THEN 'archive/' ELSE '${PREFIX}' END || 'file-' || i || '.bin',
              1024, 1024, 'application/octet-stream', repeat('0', 64), 'ready', 'local', 'tenants/x/files/' || i,
              now() - make_interval(secs => i / 1000.0), now()
         FROM generate_series(1, $3::int) AS i`,
      [tenantId, bucket!.id, count],
    );
    await client.query(
      `UPDATE tenants SET used_files = used_files + $2, used_bytes = used_bytes + $2 * 1024 WHERE id = $1`,
      [tenantId, count],
    );
    await client.query('ANALYZE files');
    const [row] = (
      await client.query<{ id: string }>(
        `SELECT id FROM files WHERE bucket_id = $1 AND name LIKE '${PREFIX}%'
          ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
        [bucket!.id, deepRow - 1],
      )
    ).rows;
    if (!row) throw new Error(`fewer than ${deepRow} rows match the prefix`);
    return row.id;
  } finally {
    await client.end();
  }
}

export async function runApiListBench(
  options: BenchOptions,
  settings: ListBenchSettings,
): Promise<BenchRow[]> {
  const { log } = options;
  return withTeardown(async (teardown) => {
    // The raw server boots beside the api.
    const {
      env,
      api,
      alongside: raw,
    } = await benchApi('api-list', teardown, {
      quick: options.quick,
      alongside: rawServerAlongside('raw-file-list', 'bench/support/raw-file-list.script.ts', teardown),
    });
    const {
      tenantId,
      apiKey: { key },
    } = await createTenant(api, 'bench', undefined, env.adminApiKey);
    const created = await fetch(`${api.url}/v1/buckets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: BUCKET }),
    });
    if (created.status !== 201) throw new Error(`creating the bucket answered ${created.status}`);

    log(`api-list: seeding ${settings.files} files`);
    const deepAfter = await seed(env.databaseUrl, tenantId, settings.files, settings.deepPages * PAGE);
    const cursors = new KeysetCursors([env.config.storage.signingSecret]);
    const depotCursor = cursors.encode(deepAfter, { list: 'files', tenantId });

    const { port } = raw;
    const query = `bucket=${BUCKET}&prefix=${encodeURIComponent(PREFIX)}&limit=${PAGE}`;
    const pids = { depot: api.process.pid, raw: raw.process.pid, deep: api.process.pid };
    const urls = {
      depot: `${api.url}/v1/files?${query}`,
      raw: `http://127.0.0.1:${port}/v1/files?${query}`,
      deep: `${api.url}/v1/files?${query}&cursor=${depotCursor}`,
    };

    // Both sides must answer the same page (the deep one too) before anything is timed.
    const pages = await Promise.all(
      [urls.depot, urls.raw, urls.deep, `${urls.raw}&cursor=${deepAfter}`].map(async (url) => {
        const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
        if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
        return ((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id);
      }),
    );
    if (pages[0]!.length !== PAGE || JSON.stringify(pages[0]) !== JSON.stringify(pages[1])) {
      throw new Error('the raw server does not answer the same first page as the api');
    }
    if (pages[2]!.length !== PAGE || JSON.stringify(pages[2]) !== JSON.stringify(pages[3])) {
      throw new Error('the raw server does not answer the same deep page as the api');
    }

    const { durationSeconds, connections, rounds, warmupSeconds } = settings;
    log(`api-list: warming up for ${warmupSeconds} s each`);
    for (const side of ['depot', 'raw', 'deep'] as const) {
      await loadSample(urls[side], key, warmupSeconds, connections, pids[side]);
    }
    const samples: Record<'depot' | 'raw' | 'deep', LoadSample[]> = { depot: [], raw: [], deep: [] };
    for (let round = 0; round < rounds; round++) {
      const order: Array<'depot' | 'raw' | 'deep'> =
        round % 2 === 0 ? ['depot', 'raw', 'deep'] : ['deep', 'raw', 'depot'];
      for (const side of order) {
        const sample = await loadSample(urls[side], key, durationSeconds, connections, pids[side]);
        samples[side].push(sample);
        log(
          `api-list: ${side} ${sample.rps.toFixed(0)} req/s, p99 ${sample.p99} ms, ${sample.cpuPerRequestUs.toFixed(0)} µs CPU/request`,
        );
      }
    }
    const rps = (side: 'depot' | 'raw' | 'deep'): number => median(samples[side].map((sample) => sample.rps));
    const p99 = (side: 'depot' | 'raw' | 'deep'): number => median(samples[side].map((sample) => sample.p99));
    const cpu = (side: 'depot' | 'raw' | 'deep'): number =>
      median(samples[side].map((sample) => sample.cpuPerRequestUs));
    const over = `${settings.files.toLocaleString('en')} files, ${connections} connections`;
    return [
      {
        figure: `(j) GET /v1/files?bucket&prefix, ${PAGE} a page, ${over} (req/s)`,
        depot: { value: rps('depot'), unit: 'req/s' },
        baseline: { value: rps('raw'), unit: 'req/s' },
        target: { kind: 'ratio-min', min: 0.7 },
      },
      {
        figure: `(j) GET /v1/files?bucket&prefix, ${PAGE} a page, ${over} (p99 latency)`,
        depot: { value: p99('depot'), unit: 'ms' },
        baseline: { value: p99('raw'), unit: 'ms' },
        target: { kind: 'none' },
      },
      {
        figure: `(j) GET /v1/files?bucket&prefix, ${PAGE} a page: server CPU time per request`,
        depot: { value: cpu('depot'), unit: 'µs' },
        baseline: { value: cpu('raw'), unit: 'µs' },
        target: { kind: 'none' },
        note: 'What req/s comes down to when the server is CPU-bound, and steadier on a shared machine.',
      },
      {
        figure: `(j) the same list ${settings.deepPages.toLocaleString('en')} pages deep vs its first page (p99 latency)`,
        depot: { value: p99('deep'), unit: 'ms' },
        baseline: { value: p99('depot'), unit: 'ms' },
        target: { kind: 'ratio-max', max: 1.5 },
        note: `Both Depot; deep page ${rps('deep').toFixed(0)} req/s, first page ${rps('depot').toFixed(0)} req/s.`,
      },
    ];
  });
}

export const apiListBench: Bench = (options) =>
  runApiListBench(options, options.quick ? QUICK_SETTINGS : FULL_SETTINGS);

if (require.main === module) {
  printStandalone(runApiListBench(STANDALONE_OPTIONS, standaloneSettings(QUICK_SETTINGS, FULL_SETTINGS)));
}
