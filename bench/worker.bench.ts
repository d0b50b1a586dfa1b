/**
 * (d) Worker processing, and (g) its scaling over worker processes.
 *
 * Depot's side is the built worker (`dist/apps/worker/main.js`, production config, files
 * concurrency from config) processing `files.process` jobs: read the object, SHA-256, sniff
 * the type, move it to `files/`, settle the row and record webhook deliveries. The raw side
 * is a script doing read + SHA-256 + rename at the same concurrency, on the same sizes.
 * Target: ratio at least 0.8.
 *
 * How files are fed: each batch gets a tenant of its own; its objects (random bytes after a
 * plain-text head) are written through @depot/storage's local disk at the incoming key and
 * its rows inserted `pending` with pg, exactly as an upload leaves them, and then
 * `files.process` is enqueued for every file at once (job id = file id, Depot's default job
 * options). Uploading through the api instead
 * would put the api's cost and the upload's disk writes inside the worker's figure, and
 * 1,000 uploads of 1 MiB would take longer than the processing measured. The clock starts
 * just before the enqueue and stops at the last row's `updated_at` (its settle), polled
 * from the database; the raw side times itself from its first read to its last rename.
 * Inputs are written before the clock starts, on both sides.
 *
 * Scaling: the same small-file batch with one worker process and with two; for reference,
 * the raw script in one process and in two (each on half of the files), in the same run: on
 * a small shared machine neither doubles, and the raw pair shows what the machine allows.
 *
 * `BENCH_FILES_CONCURRENCY=<n>` runs both sides at another concurrency than the configured
 * `worker.concurrency.files` (for the experiments in bench/RESULTS.md); `BENCH_FILES_BATCH=<n>`
 * runs the worker with another `worker.batch.files` (1: each job on its own);
 * `BENCH_SMALL_FILES=<n>` sets the small-file batch (e.g. 400 in quick mode, for same-minute
 * A/B runs).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type Queue } from 'bullmq';
import { Client } from 'pg';
import { incomingKey } from '@depot/files';
import { openDisk } from '@depot/storage';
import { type Bench, type BenchRow } from './support/bench-row';
import { type BenchEnv, createBenchEnv } from './support/bench-env';
import { benchQueue, depotJobOptions } from './support/depot-jobs';
import { patternStream, writeInputFile } from './support/inputs';
import { compileForNode } from './support/compile';
import { type BenchProcess, type RunningApp, spawnNode, startApp } from './support/processes';
import { histogramMeans, scrapeMetrics } from './support/prometheus';
import type { RawProcessCommand, RawProcessResult } from './support/raw-file-processing.script';
import { megabytes, readCpuMs, RssSampler } from './support/rss-sampler';
import { type Teardown, withTeardown } from './support/teardown';
import { GiB, interleave, mbPerSecond, median, MiB, sleep } from './support/timing';

interface Sizes {
  rounds: number;
  smallFiles: number;
  smallBytes: number;
  bigBytes: number;
}

const FULL: Sizes = { rounds: 3, smallFiles: 1000, smallBytes: MiB, bigBytes: GiB };
const QUICK: Sizes = { rounds: 1, smallFiles: 40, smallBytes: MiB, bigBytes: 32 * MiB };

/** The sizes of this run: `BENCH_SMALL_FILES=<n>` sets the small-file batch (for A/B runs in quick mode). */
function sizesFor(quick: boolean): Sizes {
  const sizes = quick ? QUICK : FULL;
  const smallFiles = Number(process.env.BENCH_SMALL_FILES ?? sizes.smallFiles);
  if (!Number.isInteger(smallFiles) || smallFiles < 1)
    throw new Error('BENCH_SMALL_FILES must be a whole number ≥ 1');
  return { ...sizes, smallFiles };
}
/** How long a batch's clean-up waits for the last runs of its jobs to end. */
const JOBS_END_TIMEOUT_MS = 60_000;
/** Inputs written this many at a time (not timed). */
const WRITE_PARALLELISM = 4;

interface Batch {
  files: number;
  bytes: number;
  ms: number;
  peakRssBytes?: number;
  /** CPU time the worker process(es) or the raw script used for the batch. */
  cpuMs?: number;
}

/** CPU time used by the processes since `before` was taken. */
function cpuSince(pids: readonly number[], before: readonly number[]): number {
  return pids.reduce((sum, pid, index) => sum + (readCpuMs(pid) ?? 0) - before[index]!, 0);
}

function describeSize(bytes: number): string {
  return bytes >= GiB ? `${bytes / GiB} GiB` : `${bytes / MiB} MiB`;
}

async function inParallel<T>(
  items: readonly T[],
  lanes: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
}

/**
 * Writes back every dirty page before a clock starts: Depot's local disk flushes what it
 * writes and a plain write does not, and a reader racing the kernel's write-back of its own
 * input would be slowed by it. Both sides start from clean, cached inputs.
 */
function writeBack(): void {
  execFileSync('sync');
}

/** The plain-text head of every input Depot's side processes. */
const INPUT_HEAD = Buffer.from('depot bench input\n');

/**
 * A file's bytes: random after a plain-text head. Random bytes alone begin with `MZ` (an
 * executable's mark, a type the worker refuses) once in 65,536 files: a full run's 6,000
 * files would fail the bench now and then.
 */
function inputStream(bytes: number): Readable {
  const head = INPUT_HEAD.subarray(0, Math.min(bytes, INPUT_HEAD.length));
  return Readable.from(
    (async function* () {
      yield head;
      if (bytes > head.length) yield* patternStream(bytes - head.length);
    })(),
    { objectMode: false },
  );
}

/** Depot's side: feeds batches of files to whatever worker processes are running. */
class DepotFeeder {
  private readonly opened;
  private readonly queue: Queue;

  constructor(
    private readonly env: BenchEnv,
    private readonly db: Client,
    teardown: Teardown,
  ) {
    this.opened = openDisk('local', env.config.storage.disks.local!);
    teardown.add(() => this.opened.close());
    this.queue = benchQueue('files', env.config);
    teardown.add(() => this.queue.close());
  }

  /** Writes `files` objects of `bytes` and their pending rows, enqueues them all and waits until all settle. */
  async run(files: number, bytes: number, workers: readonly RunningApp[]): Promise<Batch> {
    const disk = this.opened.disk;
    const tenantId = randomUUID();
    await this.db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenantId, 'bench']);
    try {
      const ids = Array.from({ length: files }, () => randomUUID());
      const keys = ids.map((id) => incomingKey(tenantId, id));
      await inParallel(keys, WRITE_PARALLELISM, (key) =>
        disk.write(key, inputStream(bytes), { contentType: 'application/octet-stream' }),
      );
      await this.db.query(
        `INSERT INTO files (id, tenant_id, name, size, content_type, disk, storage_key)
         SELECT id, $2, 'bench-' || id, $3, 'application/octet-stream', 'local', key
         FROM unnest($1::uuid[], $4::text[]) AS input(id, key)`,
        [ids, tenantId, bytes, keys],
      );
      writeBack();
      const samplers = workers.map((worker) => new RssSampler(worker.process.pid).start());
      const pids = workers.map((worker) => worker.process.pid);
      const cpuBefore = pids.map((pid) => readCpuMs(pid) ?? 0);

      const start = Date.now();
      const options = depotJobOptions(this.env.config);
      for (let from = 0; from < ids.length; from += 1000) {
        await this.queue.addBulk(
          ids.slice(from, from + 1000).map((fileId) => ({
            name: 'process',
            data: { fileId, tenantId },
            opts: { ...options, jobId: fileId },
          })),
        );
      }
      const end = await this.settled(tenantId, files, workers);
      const peakRssBytes = Math.max(...samplers.map((sampler) => sampler.stop()));
      return { files, bytes: files * bytes, ms: end - start, peakRssBytes, cpuMs: cpuSince(pids, cpuBefore) };
    } finally {
      // Before the folder goes, every run of the batch's jobs has ended: also when the batch
      // failed early (a refused file, a worker that exited), whose error stays the one thrown.
      await this.jobsEnded(tenantId, workers);
      await disk.removePrefix(`tenants/${tenantId}/`);
      await this.db.query('DELETE FROM tenants WHERE id = $1', [tenantId]);
    }
  }

  /**
   * Waits until no `files` job of the tenant's batch is active, waiting or delayed, or until
   * no worker runs any more, or {@link JOBS_END_TIMEOUT_MS} has passed. A job stays active
   * after its row settles (until BullMQ completes it); when the batch fails early its other
   * files are still being processed, and a late second run of a job (a stalled lock handed
   * back, a retry) may still be going. Removing the folder under them fails (`ENOTEMPTY`: a
   * file moved into `files/` while it was emptied).
   */
  private async jobsEnded(tenantId: string, workers: readonly RunningApp[]): Promise<void> {
    const deadline = Date.now() + JOBS_END_TIMEOUT_MS;
    while (Date.now() < deadline && workers.some((worker) => worker.process.isRunning)) {
      // Not answered (the queue's store is gone): nothing left to wait for that we could see.
      const jobs = await this.queue.getJobs(['active', 'waiting', 'delayed', 'prioritized']).catch(() => []);
      if (!jobs.some((job) => (job?.data as { tenantId?: string } | undefined)?.tenantId === tenantId))
        return;
      await sleep(50);
    }
  }

  /** Waits until every file of the tenant is ready; returns the time of the last settle (epoch ms). */
  private async settled(tenantId: string, files: number, workers: readonly RunningApp[]): Promise<number> {
    for (;;) {
      const { rows } = await this.db.query<{ settled: string; failed: string; last: Date | null }>(
        `SELECT count(*) FILTER (WHERE status IN ('ready', 'failed')) AS settled,
                count(*) FILTER (WHERE status = 'failed') AS failed,
                max(updated_at) AS last
         FROM files WHERE tenant_id = $1`,
        [tenantId],
      );
      const { settled, failed, last } = rows[0]!;
      if (Number(failed) > 0) {
        const reasons = await this.db.query<{ failure_reason: string }>(
          'SELECT DISTINCT failure_reason FROM files WHERE tenant_id = $1 AND status = $2',
          [tenantId, 'failed'],
        );
        throw new Error(`${failed} file(s) failed: ${reasons.rows.map((r) => r.failure_reason).join('; ')}`);
      }
      if (Number(settled) === files && last) return last.getTime();
      for (const worker of workers) {
        if (!worker.process.isRunning) throw new Error(`the worker exited:\n${worker.process.output}`);
      }
      await sleep(50);
    }
  }
}

/**
 * The raw side: long-lived script processes fed folders of plain files. With several
 * scripts, the files are split evenly between them (each its own folder) and the lot is
 * timed from the first script's start to the last one's end.
 */
class RawFeeder {
  private round = 0;

  constructor(
    private readonly env: BenchEnv,
    private readonly concurrency: number,
  ) {}

  async run(files: number, bytes: number, scripts: readonly BenchProcess[]): Promise<Batch> {
    const dirs = scripts.map(() => join(this.env.storageRoot, `raw-${++this.round}`));
    try {
      for (const [index, dir] of dirs.entries()) {
        mkdirSync(join(dir, 'incoming'), { recursive: true });
        const share = Math.floor(files / dirs.length) + (index < files % dirs.length ? 1 : 0);
        const names = Array.from({ length: share }, () => randomUUID());
        await inParallel(names, WRITE_PARALLELISM, (name) =>
          writeInputFile(join(dir, 'incoming', name), bytes),
        );
      }
      const samplers = scripts.map((script) => new RssSampler(script.pid).start());
      const pids = scripts.map((script) => script.pid);
      const cpuBefore = pids.map((pid) => readCpuMs(pid) ?? 0);
      const results = await Promise.all(
        scripts.map((script, index) =>
          script.request<RawProcessResult>(
            { dir: dirs[index]!, concurrency: this.concurrency } satisfies RawProcessCommand,
            30 * 60_000,
          ),
        ),
      );
      const cpuMs = cpuSince(pids, cpuBefore);
      const start = Math.min(...results.map((result) => result.startedAt));
      const end = Math.max(...results.map((result) => result.startedAt + result.ms));
      return {
        files: results.reduce((sum, result) => sum + result.files, 0),
        bytes: results.reduce((sum, result) => sum + result.bytes, 0),
        // One script times itself more finely than the wall clock does.
        ms: results.length === 1 ? results[0]!.ms : end - start,
        peakRssBytes: Math.max(...samplers.map((sampler) => sampler.stop())),
        cpuMs,
      };
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Where a file's time goes inside the worker, from its own `/metrics`: the mean duration of
 * a `files.process` job and of each storage operation in it (means over the runs so far).
 */
async function timeInsideWorker(worker: RunningApp, concurrency: number, batch: number): Promise<string> {
  const samples = await scrapeMetrics(worker.url);
  const job = histogramMeans(samples, 'depot_job_duration_seconds', 'job', { queue: 'files' }).get('process');
  const storage = histogramMeans(samples, 'depot_storage_operation_duration_seconds', 'operation');
  const ops = [...storage.entries()]
    .filter(([, { count }]) => count >= (job?.count ?? 0) / 2)
    .map(([operation, { meanMs }]) => `${operation} ${meanMs.toFixed(1)} ms`)
    .join(', ');
  if (!job) return 'the worker reported no job durations';
  const took = `inside the worker a 1 MiB file's job takes ${job.meanMs.toFixed(1)} ms on average (storage: ${ops || 'n/a'})`;
  // A batched job's time includes its wait for the batch: no bound follows from it.
  return batch > 1
    ? `${took}, in batches of up to ${batch} files (files concurrency ${concurrency})`
    : `${took}; at concurrency ${concurrency} that bounds it at ${Math.round((concurrency * 1000) / job.meanMs)} files/s`;
}

export const workerBench: Bench = async ({ quick, log }) => {
  const sizes = sizesFor(quick);
  return withTeardown(async (teardown) => {
    const override = process.env.BENCH_FILES_CONCURRENCY;
    const batchOverride = process.env.BENCH_FILES_BATCH;
    const env = await createBenchEnv('worker', {
      ...(override ? { DEPOT__WORKER__CONCURRENCY__FILES: override } : {}),
      ...(batchOverride ? { DEPOT__WORKER__BATCH__FILES: batchOverride } : {}),
    });
    teardown.add(() => env.cleanup());
    const concurrency = env.config.worker.concurrency.files;
    const batch = env.config.worker.batch.files;
    const db = new Client({ connectionString: env.databaseUrl });
    // Dropping the database on an interrupt ends this session from the server's side.
    db.on('error', (error) => log(`worker: database session ended: ${error.message}`));
    await db.connect();
    teardown.add(() => db.end());

    const startScript = (): BenchProcess => {
      const script = spawnNode(
        'raw file processing',
        compileForNode('bench/support/raw-file-processing.script.ts'),
        [],
        { ipc: true },
      );
      teardown.add(async () => {
        if (script.isRunning && script.child.connected) script.child.send('stop');
        await Promise.race([script.exited, sleep(5000)]);
        await script.stop();
      });
      return script;
    };
    const script = startScript();
    const startWorker = async (): Promise<RunningApp> => {
      const worker = await startApp('worker', env.env);
      teardown.add(() => worker.stop());
      return worker;
    };
    const [first] = await Promise.all([startWorker(), script.nextResult(60_000)]);
    const depot = new DepotFeeder(env, db, teardown);
    const raw = new RawFeeder(env, concurrency);

    const small = `${sizes.smallFiles.toLocaleString('en-US')} files of ${describeSize(sizes.smallBytes)}`;
    const big = `one ${describeSize(sizes.bigBytes)} file`;
    log(
      `worker: ${small}, ${sizes.rounds} round(s), files concurrency ${concurrency}` +
        (batch > 1 ? `, batches of up to ${batch}` : ''),
    );
    const smallBatches = { depot: [] as Batch[], raw: [] as Batch[] };
    const smallSamples = await interleave(sizes.rounds, {
      depot: async () => {
        const batch = await depot.run(sizes.smallFiles, sizes.smallBytes, [first]);
        smallBatches.depot.push(batch);
        return batch.files / (batch.ms / 1000);
      },
      raw: async () => {
        const batch = await raw.run(sizes.smallFiles, sizes.smallBytes, [script]);
        smallBatches.raw.push(batch);
        return batch.files / (batch.ms / 1000);
      },
    });
    const show = (values: number[]): string => values.map((v) => v.toFixed(1)).join(', ');
    log(`worker: small files/s depot [${show(smallSamples.depot)}] raw [${show(smallSamples.raw)}]`);
    const cpuPerFile = (batches: Batch[]): number =>
      median(batches.map((batch) => (batch.cpuMs ?? 0) / batch.files));
    const breakdown =
      `${await timeInsideWorker(first, concurrency, batch)}; CPU per file: worker ` +
      `${cpuPerFile(smallBatches.depot).toFixed(2)} ms, raw script ${cpuPerFile(smallBatches.raw).toFixed(2)} ms`;
    log(`worker: ${breakdown}`);

    log(`worker: ${big}, ${sizes.rounds} round(s)`);
    const bigRss = { depot: [] as number[], raw: [] as number[] };
    const bigCpu = { depot: [] as number[], raw: [] as number[] };
    const bigSamples = await interleave(sizes.rounds, {
      depot: async () => {
        const batch = await depot.run(1, sizes.bigBytes, [first]);
        bigRss.depot.push(batch.peakRssBytes ?? 0);
        bigCpu.depot.push(batch.cpuMs ?? 0);
        return mbPerSecond(batch.bytes, batch.ms);
      },
      raw: async () => {
        const batch = await raw.run(1, sizes.bigBytes, [script]);
        bigRss.raw.push(batch.peakRssBytes ?? 0);
        bigCpu.raw.push(batch.cpuMs ?? 0);
        return mbPerSecond(batch.bytes, batch.ms);
      },
    });
    log(`worker: big MB/s depot [${show(bigSamples.depot)}] raw [${show(bigSamples.raw)}]`);
    log(`worker: big CPU ms depot [${show(bigCpu.depot)}] raw [${show(bigCpu.raw)}]`);

    // The machine's own scaling, for reference: the raw script in two processes, each on half
    // of the files, in the same rounds as the two workers.
    log(`worker: ${small} with two worker processes, and the raw script in two, ${sizes.rounds} round(s)`);
    const [second, secondScript] = await Promise.all([
      startWorker(),
      (async () => {
        const started = startScript();
        await started.nextResult(60_000);
        return started;
      })(),
    ]);
    const twoSamples = await interleave(sizes.rounds, {
      depot: async () => {
        const batch = await depot.run(sizes.smallFiles, sizes.smallBytes, [first, second]);
        return batch.files / (batch.ms / 1000);
      },
      raw: async () => {
        const batch = await raw.run(sizes.smallFiles, sizes.smallBytes, [script, secondScript]);
        return batch.files / (batch.ms / 1000);
      },
    });
    log(`worker: two processes files/s depot [${show(twoSamples.depot)}] raw [${show(twoSamples.raw)}]`);
    const depotScaling = median(twoSamples.depot) / median(smallSamples.depot);
    const rawScaling = median(twoSamples.raw) / median(smallSamples.raw);
    const scalingNote =
      `the raw script scales ${rawScaling.toFixed(2)}× from one process to two in the same run, ` +
      `so Depot gets ${((depotScaling / rawScaling) * 100).toFixed(0)} % of this machine's own scaling`;

    const rows: BenchRow[] = [
      {
        figure: `(d) worker processing ${small} (read, sha256, sniff, move, settle)`,
        depot: { value: median(smallSamples.depot), unit: 'files/s' },
        baseline: { value: median(smallSamples.raw), unit: 'files/s' },
        target: { kind: 'ratio-min', min: 0.8 },
        note: breakdown,
      },
      {
        figure: `(d) worker processing ${big}`,
        depot: { value: median(bigSamples.depot), unit: 'MB/s' },
        baseline: { value: median(bigSamples.raw), unit: 'MB/s' },
        target: { kind: 'ratio-min', min: 0.8 },
      },
      {
        figure: `(d) peak RSS while processing ${big} (worker vs raw script)`,
        depot: { value: megabytes(median(bigRss.depot)), unit: 'MB' },
        baseline: { value: megabytes(median(bigRss.raw)), unit: 'MB' },
        target: { kind: 'none' },
      },
      {
        figure: `(g) worker scaling: ${small}, two worker processes (baseline column: one process)`,
        depot: { value: median(twoSamples.depot), unit: 'files/s' },
        baseline: { value: median(smallSamples.depot), unit: 'files/s' },
        target: { kind: 'none' },
        note: scalingNote,
      },
      {
        figure: `(g) for reference: the raw script on ${small}, two processes (baseline column: one process)`,
        depot: { value: median(twoSamples.raw), unit: 'files/s' },
        baseline: { value: median(smallSamples.raw), unit: 'files/s' },
        target: { kind: 'none' },
      },
    ];
    return rows;
  });
};
