/**
 * (f) Cold start of `npm start` on the embedded default (no DATABASE_URL), in a fresh clone
 * of this checkout: from the spawn of `npm start` to all three apps answering 200 on
 * `/health/ready`. The first start includes the build, `initdb` of the embedded cluster and
 * the migrations; a later start the build and the start of the existing cluster. Beside
 * it: the three built apps started directly (`node dist/apps/<app>/main.js`, all at once) on
 * the machine's running PostgreSQL and Redis, which is what is left when nothing has to be
 * built, created or started. Samples alternate; the median is reported. No targets: for
 * the record.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Bench, type BenchRow } from './support/bench-row';
import { createBenchEnv } from './support/bench-env';
import { cloneCheckout } from './support/checkout-clone';
import { freePort } from '../test/support/app-launch';
import { httpStatus, startApp } from './support/processes';
import { withTeardown } from './support/teardown';
import { interleave, median, nowMs, sleep } from './support/timing';

const APPS = ['api', 'worker', 'scheduler'] as const;
const TIMEOUT_MS = 180_000;

export const npmStartBench: Bench = async ({ quick, log }) => {
  const rounds = quick ? 1 : 3;
  return withTeardown(async (teardown) => {
    const env = await createBenchEnv('npmstart');
    teardown.add(() => env.cleanup());
    const clone = cloneCheckout('bench-npm-start');
    teardown.add(async () => clone.remove());

    /** One `npm start` in the clone, timed to all three ready, then Ctrl-C (SIGINT to its group). */
    const npmStart = async (fresh: boolean): Promise<number> => {
      if (fresh) rmSync(join(clone.dir, '.depot'), { recursive: true, force: true });
      const ports = {
        PORT: await freePort(),
        WORKER_PORT: await freePort(),
        SCHEDULER_PORT: await freePort(),
      };
      const started = nowMs();
      const child = spawn('npm', ['start'], {
        cwd: clone.dir,
        // A new user's environment: no DATABASE_URL, REDIS_URL or QUEUE_*.
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          LOG_LEVEL: 'warn',
          ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
        },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        for (;;) {
          if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
          if (nowMs() - started > TIMEOUT_MS)
            throw new Error(`npm start was not ready in ${TIMEOUT_MS} ms:\n${output}`);
          const statuses = await Promise.all(
            Object.values(ports).map((port) => httpStatus(`http://127.0.0.1:${port}/health/ready`)),
          );
          if (statuses.every((status) => status === 200)) return nowMs() - started;
          await sleep(20);
        }
      } finally {
        process.kill(-child.pid!, 'SIGINT');
        await exited;
      }
    };

    const direct = async (): Promise<number> =>
      withTeardown(async (inner) => {
        const started = nowMs();
        const apps = await Promise.all(APPS.map((name) => startApp(name, env.env)));
        const ready = nowMs() - started;
        for (const app of apps) inner.add(() => app.stop());
        return ready;
      });

    log(`npm-start: first and later npm start beside the three apps started directly, ${rounds} round(s)`);
    const samples = await interleave(rounds, {
      first: () => npmStart(true),
      later: () => npmStart(false),
      direct,
    });
    const show = (values: number[]): string => values.map((value) => Math.round(value)).join(', ');
    log(
      `npm-start: ms first [${show(samples.first)}] later [${show(samples.later)}] direct [${show(samples.direct)}]`,
    );

    const rows: BenchRow[] = [
      {
        figure:
          '(f) npm start on the embedded default, first start (build, initdb, migrations, three apps) to all ready vs the built apps started directly on running servers',
        depot: { value: median(samples.first), unit: 'ms' },
        baseline: { value: median(samples.direct), unit: 'ms' },
      },
      {
        figure:
          '(f) npm start on the embedded default, later start (build, start of the existing cluster, three apps) to all ready vs the built apps started directly',
        depot: { value: median(samples.later), unit: 'ms' },
        baseline: { value: median(samples.direct), unit: 'ms' },
      },
    ];
    return rows;
  });
};
