/**
 * (e) No-op jobs per second through the worker's job host (Nest application context,
 * QueueModule, a QueueProcessor subclass: log context, typed dispatch, job metrics) beside
 * a bare BullMQ Worker, each at concurrency 1 and 16. Target: ratio at least 0.8.
 *
 * The same on the postgres queue backend (the job host with `QUEUE_BACKEND=postgres` in the
 * bench's database): beside a bare BullMQ Worker on BullMQ's own PostgreSQL backend (what
 * Depot adds there, target 0.8), and beside the bare Worker on Redis of the same run (what
 * the backend costs, reported without a target).
 *
 * Each consumer runs in a child process of its own, on a queue of its own, booted once.
 * For each sample the queue is filled first (the consumer paused), then the consumer takes
 * every job and times from the moment its worker starts to the last completion: boot time
 * is not in the figure and the producer does not compete for the CPU. The consumer's CPU time
 * per job (from /proc) is reported too, for the Redis sides. Samples alternate
 * between the two sides; the median is reported.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { migrateQueueBackend, queueSchemaName } from '@depot/queue';
import { type Bench, type BenchRow } from './support/bench-row';
import { createBenchEnv } from './support/bench-env';
import type { ConsumeCommand, ConsumeResult } from './support/consumer-loop';
import { benchQueue, depotJobOptions } from './support/depot-jobs';
import { type BenchProcess, spawnBundled, spawnScript } from './support/processes';
import { withTeardown } from './support/teardown';
import { cpuTimeMs, interleave, median, nowMs, sleep } from './support/timing';

const CONCURRENCIES = [1, 16] as const;

interface Sizes {
  rounds: number;
  jobs: Record<(typeof CONCURRENCIES)[number], number>;
}

const FULL: Sizes = { rounds: 5, jobs: { 1: 6_000, 16: 30_000 } };
const QUICK: Sizes = { rounds: 1, jobs: { 1: 300, 16: 1_500 } };
/** The postgres backend takes fewer jobs a second: fewer jobs keep its samples as long. */
const FULL_POSTGRES: Sizes = { rounds: 5, jobs: { 1: 500, 16: 2_000 } };
const QUICK_POSTGRES: Sizes = { rounds: 1, jobs: { 1: 100, 16: 300 } };

type Side = 'depot' | 'raw' | 'depotPostgres' | 'rawPostgres';
const SIDES: Record<Side, { script: string; backend: 'redis' | 'postgres' }> = {
  depot: { script: 'bench/support/noop-job-host.script.ts', backend: 'redis' },
  raw: { script: 'bench/support/bare-bullmq-worker.script.ts', backend: 'redis' },
  depotPostgres: { script: 'bench/support/noop-job-host.script.ts', backend: 'postgres' },
  rawPostgres: { script: 'bench/support/bare-bullmq-worker.script.ts', backend: 'postgres' },
};
const NO_REDIS = 'not run (no Redis answered: the Redis sides cannot run)';

interface Consumer {
  process: BenchProcess;
  queue: Pick<Queue, 'clean' | 'addBulk'>;
}

export const queueBench: Bench = async ({ quick, log }) => {
  const sizes = quick ? QUICK : FULL;
  return withTeardown(async (teardown) => {
    const env = await createBenchEnv('queue');
    teardown.add(() => env.cleanup());
    // Where no Redis answers (a machine with nothing but Node), the bench env is on postgres
    // and only the postgres rows are measured.
    const redisAnswers = env.config.queue.backend === 'redis';
    // Depot's default job options, on both sides.
    const jobOptions = depotJobOptions(env.config);

    let migrations = Promise.resolve();
    const start = async (side: Side): Promise<Consumer> => {
      const prefix = `${env.queuePrefix}-${side.toLowerCase()}`;
      const { script, backend } = SIDES[side];
      const config = { ...env.config, queue: { ...env.config.queue, backend, prefix } };
      // BullMQ's schema for a postgres side, as db:setup creates it; the bare worker is told
      // its name. One migration at a time, though consumers boot two at a time.
      const migrated = migrations.then(() => migrateQueueBackend(config));
      migrations = migrated.catch(() => undefined);
      await migrated;
      const queue = benchQueue('files', config);
      teardown.add(() => queue.close());
      // Quick runs start each consumer from a bundle made once per run: the boots are most of
      // their time, and untimed. Full runs keep the consumers they were measured with.
      const child = await (quick ? spawnBundled : spawnScript)(`${side} consumer`, script, [], {
        env: {
          ...env.env,
          QUEUE_PREFIX: prefix,
          QUEUE_BACKEND: backend,
          BENCH_POSTGRES_SCHEMA: queueSchemaName(prefix),
        },
        ipc: true,
      });
      teardown.add(async () => {
        // Ask it to close its worker; signal it only if it does not.
        if (child.isRunning && child.child.connected) child.child.send('stop');
        await Promise.race([child.exited, sleep(5000)]);
        await child.stop();
      });
      await child.nextResult(60_000);
      return { process: child, queue };
    };
    // Two at a time, one per core: the boots are not timed, and four at once only slow each
    // other down.
    const consumers = {} as Record<Side, Consumer>;
    const booting = nowMs();
    const pairs: Side[][] = [
      ['depot', 'raw'],
      ['depotPostgres', 'rawPostgres'],
    ];
    for (const pair of pairs) {
      const sides = pair.filter((side) => SIDES[side].backend === 'postgres' || redisAnswers);
      const started = await Promise.all(sides.map(start));
      sides.forEach((side, index) => (consumers[side] = started[index]!));
    }
    log(`queue: consumers ready in ${((nowMs() - booting) / 1000).toFixed(1)} s`);

    // The consumer's CPU time per job in each sample (user + system, from /proc): steadier
    // than jobs/s on a shared machine, where the rate swings with the neighbours.
    let cpuPerJobUs: Record<Side, number[]> = { depot: [], raw: [], depotPostgres: [], rawPostgres: [] };
    const sample = async (side: Side, command: ConsumeCommand): Promise<number> => {
      const { queue, process } = consumers[side];
      // Completed jobs are kept an hour by Depot's options: clear them so every sample starts alike.
      await queue.clean(0, 0, 'completed');
      for (let added = 0; added < command.jobs; added += 1000) {
        const batch = Math.min(1000, command.jobs - added);
        await queue.addBulk(
          Array.from({ length: batch }, () => ({
            name: 'process',
            data: { fileId: randomUUID(), tenantId: randomUUID() },
            opts: jobOptions,
          })),
        );
      }
      const cpuBefore = cpuTimeMs(process.pid);
      const result = await process.request<ConsumeResult>(command, 120_000);
      cpuPerJobUs[side].push(((cpuTimeMs(process.pid) - cpuBefore) * 1000) / result.jobs);
      return result.jobs / (result.ms / 1000);
    };

    const rows: BenchRow[] = [];
    const show = (values: number[]): string => values.map(Math.round).join(', ');
    const postgresSizes = quick ? QUICK_POSTGRES : FULL_POSTGRES;
    for (const concurrency of CONCURRENCIES) {
      const command = { jobs: sizes.jobs[concurrency], concurrency };
      let samples: Record<'depot' | 'raw', number[]> | undefined;
      const redisFigure = `(e) no-op jobs/s through the job host vs a bare BullMQ Worker, concurrency ${concurrency}`;
      if (redisAnswers) {
        cpuPerJobUs = { depot: [], raw: [], depotPostgres: [], rawPostgres: [] };
        log(`queue: ${command.jobs} no-op jobs at concurrency ${concurrency}, ${sizes.rounds} round(s)`);
        samples = await interleave(sizes.rounds, {
          depot: () => sample('depot', command),
          raw: () => sample('raw', command),
        });
        log(`queue: c=${concurrency} jobs/s depot [${show(samples.depot)}] raw [${show(samples.raw)}]`);
        rows.push({
          figure: redisFigure,
          depot: { value: median(samples.depot), unit: 'jobs/s' },
          baseline: { value: median(samples.raw), unit: 'jobs/s' },
          target: { kind: 'ratio-min', min: 0.8 },
        });
        log(
          `queue: c=${concurrency} CPU µs/job depot [${show(cpuPerJobUs.depot)}] raw [${show(cpuPerJobUs.raw)}]`,
        );
        rows.push({
          figure: `(e) no-op jobs through the job host vs a bare BullMQ Worker, concurrency ${concurrency}: consumer CPU time per job`,
          depot: { value: median(cpuPerJobUs.depot), unit: 'µs' },
          baseline: { value: median(cpuPerJobUs.raw), unit: 'µs' },
          target: { kind: 'none' },
        });
      } else {
        rows.push({ figure: redisFigure, note: NO_REDIS });
      }

      const postgresCommand = { jobs: postgresSizes.jobs[concurrency], concurrency };
      log(`queue: postgres backend, ${postgresCommand.jobs} no-op jobs at concurrency ${concurrency}`);
      const onPostgres = await interleave(postgresSizes.rounds, {
        depot: () => sample('depotPostgres', postgresCommand),
        raw: () => sample('rawPostgres', postgresCommand),
      });
      log(
        `queue: c=${concurrency} postgres jobs/s depot [${show(onPostgres.depot)}] raw [${show(onPostgres.raw)}]`,
      );
      rows.push({
        figure: `(e) postgres backend: no-op jobs/s through the job host vs a bare BullMQ Worker on its PostgreSQL backend, concurrency ${concurrency}`,
        depot: { value: median(onPostgres.depot), unit: 'jobs/s' },
        baseline: { value: median(onPostgres.raw), unit: 'jobs/s' },
        target: { kind: 'ratio-min', min: 0.8 },
      });
      const costFigure = `(e) postgres backend: no-op jobs/s through the job host vs a bare BullMQ Worker on Redis, concurrency ${concurrency}`;
      rows.push(
        samples
          ? {
              figure: costFigure,
              depot: { value: median(onPostgres.depot), unit: 'jobs/s' },
              baseline: { value: median(samples.raw), unit: 'jobs/s' },
              note: 'what the backend costs; no target',
            }
          : { figure: costFigure, note: NO_REDIS },
      );
    }
    return rows;
  });
};
