/**
 * Every benchmark `bench/run.ts` runs, in order. A benchmark is a module exporting one
 * function of type {@link Bench}, named after its entry (`api-get` → `apiGetBench`).
 */
export interface BenchEntry {
  /** The name `--only` takes. */
  name: string;
  /** Path from the repository root. */
  file: string;
  /** The figures it measures, as the issue names them: shown when it fails or is left out. */
  figures: string[];
  /** The letter for its figures, put before any of its rows that does not start with one. */
  tag: string;
  /** Why it is left out of quick runs (the test's), when it is: it runs only in full runs. */
  fullRunsOnly?: string;
}

export const BENCHMARKS: readonly BenchEntry[] = [
  {
    name: 'api-get',
    tag: '(a)',
    file: 'bench/api-get.bench.ts',
    figures: ['(a) authenticated GET /v1/files/:id req/s and p99 vs raw Fastify + pg'],
  },
  {
    name: 'api-upload',
    tag: '(b)',
    file: 'bench/api-upload.bench.ts',
    figures: ['(b) 1 GiB upload through the api: MB/s and api peak RSS vs raw Fastify streaming to a file'],
  },
  {
    name: 'api-small-uploads',
    tag: '(b)',
    file: 'bench/api-small-uploads.bench.ts',
    figures: [
      '(b) 2,000 × 64 KiB uploads, 32 at a time: uploads/s, p99 and api RSS growth vs raw Fastify + multipart + flushed file + INSERT + enqueue',
    ],
  },
  {
    name: 'storage',
    tag: '(c)',
    file: 'bench/storage.bench.ts',
    figures: ['(c) storage write/read of a 1 GiB stream, local and s3 drivers vs raw'],
  },
  {
    name: 'worker',
    tag: '(d)',
    file: 'bench/worker.bench.ts',
    figures: [
      '(d) worker processing: 1,000 files of 1 MiB (files/s) and one 1 GiB file (MB/s) vs read + sha256 + rename',
      '(g) worker scaling: processing throughput with one and with two worker processes, beside the raw script in one and in two',
    ],
  },
  {
    name: 'queue',
    tag: '(e)',
    file: 'bench/queue.bench.ts',
    figures: [
      '(e) no-op jobs/s through the job host vs a bare BullMQ Worker, concurrency 1 and 16',
      '(e) the same on the postgres queue backend, beside bare BullMQ on its PostgreSQL backend and on Redis',
    ],
  },
  {
    name: 'npm-start',
    tag: '(f)',
    file: 'bench/npm-start.bench.ts',
    fullRunsOnly: 'two builds and cluster starts take a minute; test/e2e/start walks npm start itself',
    figures: ['(f) npm start on the embedded default: first and later start to all three apps ready'],
  },
  {
    name: 'startup',
    tag: '(f)',
    file: 'bench/startup.bench.ts',
    figures: ['(f) cold start to ready and idle RSS of each app vs a bare Nest 12 app'],
  },
  {
    name: 'api-tus',
    tag: '(h)',
    file: 'bench/api-tus.bench.ts',
    figures: [
      '(h) 1 GiB tus upload in 8 MiB PATCHes through the api vs the multipart upload of the same size, and api peak RSS',
    ],
  },
  {
    name: 'client-upload',
    tag: '(i)',
    file: 'bench/client-upload.bench.ts',
    figures: ['(i) a file uploaded with @depot/client and with the depot CLI vs curl -F, same api'],
  },
  {
    name: 'api-list',
    tag: '(j)',
    file: 'bench/api-list.bench.ts',
    figures: [
      '(j) GET /v1/files?bucket=…&prefix=…, 50 a page, over 200,000 files vs raw Fastify + pg, and a page 2,000 pages deep vs the first',
    ],
  },
];
