/**
 * (f) Cold start to ready and idle RSS of each built app, beside a bare Nest 12 Fastify
 * app with one route (the stack notes measured ~570 ms for it on this machine).
 *
 * Each app runs as production starts it (`node --max-semi-space-size=4 dist/apps/<app>/main.js`,
 * scripts/launcher/app-node-args.ts); the bare app with node's defaults.
 * Cold start: from the spawn to the first 200 of
 * `GET /health/ready`, polled every 10 ms on a fresh connection; for Depot's apps that
 * includes the config validation and the dependency checks (PostgreSQL, Redis, storage),
 * which are part of being ready. CPU time to ready: the process's user + system time when
 * ready is seen, the steadier figure on a shared machine (waiting for the CPU does not count).
 * Idle RSS: VmRSS a while after ready, with no traffic. In full runs also once settled:
 * {@link SETTLED_MS} after ready, by when V8's memory reducer has run (8 s after the boot's
 * full collection, or 8 s later again if the process was not idle then) and given back the
 * young generation the boot grew, which Node 20 keeps until then (Node 22 and later give it
 * back in the boot's collection); the four processes started together, one sample each.
 * Samples alternate between the apps; the median is reported. No targets: these are
 * reported for the record.
 */
import { type Bench, type BenchRow } from './support/bench-row';
import { createBenchEnv } from './support/bench-env';
import { compileForNode } from './support/compile';
import { type AppName, freePort } from '../test/support/app-launch';
import { spawnNode, startApp, waitFor200 } from './support/processes';
import { megabytes, readCpuMs, readMemory } from './support/rss-sampler';
import { type Teardown, withTeardown } from './support/teardown';
import { interleave, median, sleep } from './support/timing';

const APPS: readonly AppName[] = ['api', 'worker', 'scheduler'];

/**
 * How long after ready the settled idle RSS is read. V8's memory reducer ran 9 s after ready
 * for an app started alone, and after 12 s but within 30 s for the four started together.
 */
const SETTLED_MS = 30_000;

interface Sample {
  readyMs: number;
  readyCpuMs: number;
  idleRssBytes: number;
}

export const startupBench: Bench = async ({ quick, log }) => {
  const rounds = quick ? 1 : 5;
  const idleMs = quick ? 100 : 3000;
  return withTeardown(async (teardown) => {
    const env = await createBenchEnv('startup');
    teardown.add(() => env.cleanup());
    const bareApp = compileForNode('bench/support/bare-nest.app.ts');

    const cpuMs = (pid: number): number => {
      const used = readCpuMs(pid);
      if (used === undefined) throw new Error(`process ${pid} is gone`);
      return used;
    };
    const rssBytes = (pid: number): number => {
      const memory = readMemory(pid);
      if (!memory) throw new Error(`process ${pid} is gone`);
      return memory.rssBytes;
    };
    const idleRss = async (pid: number): Promise<number> => {
      await sleep(idleMs);
      return rssBytes(pid);
    };

    const samples: Record<string, Sample[]> = {};
    const sampleOf =
      (name: string, start: () => Promise<Sample>): (() => Promise<number>) =>
      async () => {
        const sample = await start();
        (samples[name] ??= []).push(sample);
        return sample.readyMs;
      };

    const variants: Record<string, () => Promise<number>> = {};
    for (const name of APPS) {
      variants[name] = sampleOf(name, () =>
        withTeardown(async (inner) => {
          const app = await startApp(name, env.env);
          inner.add(() => app.stop());
          const readyCpuMs = cpuMs(app.process.pid);
          return { readyMs: app.readyMs, readyCpuMs, idleRssBytes: await idleRss(app.process.pid) };
        }),
      );
    }
    const startBare = async (inner: Teardown): Promise<{ pid: number; readyMs: number }> => {
      const port = await freePort();
      const child = spawnNode('bare nest', bareApp, [], {
        env: { PORT: String(port), NODE_ENV: 'production' },
      });
      inner.add(() => child.stop());
      const readyAt = await waitFor200(`http://127.0.0.1:${port}/health/ready`, child);
      return { pid: child.pid, readyMs: readyAt - child.startedAt };
    };
    variants.bare = sampleOf('bare', () =>
      withTeardown(async (inner) => {
        const { pid, readyMs } = await startBare(inner);
        const readyCpuMs = cpuMs(pid);
        return { readyMs, readyCpuMs, idleRssBytes: await idleRss(pid) };
      }),
    );
    /** The RSS of each app and the bare one, {@link SETTLED_MS} after the last of them was ready. */
    const settledRss = (): Promise<Record<string, number>> =>
      withTeardown(async (inner) => {
        log(`startup: idle RSS once settled, ${SETTLED_MS / 1000} s after ready, the four started together`);
        const pids = await Promise.all([
          ...APPS.map(async (name) => {
            const app = await startApp(name, env.env);
            inner.add(() => app.stop());
            return [name, app.process.pid] as const;
          }),
          startBare(inner).then(({ pid }) => ['bare', pid] as const),
        ]);
        await sleep(SETTLED_MS);
        return Object.fromEntries(pids.map(([name, pid]) => [name, rssBytes(pid)]));
      });

    log(`startup: ${APPS.join(', ')} and a bare Nest app, ${rounds} round(s)`);
    await interleave(rounds, variants);
    const settled = quick ? undefined : await settledRss();
    const stat = (name: string, key: keyof Sample): number => median(samples[name]!.map((s) => s[key]));
    for (const name of [...APPS, 'bare']) {
      log(`startup: ${name} ready ms [${samples[name]!.map((s) => Math.round(s.readyMs)).join(', ')}]`);
    }

    const rows: BenchRow[] = [];
    for (const name of APPS) {
      rows.push({
        figure: `(f) ${name} cold start to ready (baseline: bare Nest 12 + Fastify)`,
        depot: { value: stat(name, 'readyMs'), unit: 'ms' },
        baseline: { value: stat('bare', 'readyMs'), unit: 'ms' },
        target: { kind: 'none' },
      });
    }
    for (const name of APPS) {
      rows.push({
        figure: `(f) ${name} CPU time to ready (baseline: bare Nest 12 + Fastify)`,
        depot: { value: stat(name, 'readyCpuMs'), unit: 'ms' },
        baseline: { value: stat('bare', 'readyCpuMs'), unit: 'ms' },
        target: { kind: 'none' },
      });
    }
    for (const name of APPS) {
      rows.push({
        figure: `(f) ${name} idle RSS (baseline: bare Nest 12 + Fastify)`,
        depot: { value: megabytes(stat(name, 'idleRssBytes')), unit: 'MB' },
        baseline: { value: megabytes(stat('bare', 'idleRssBytes')), unit: 'MB' },
        target: { kind: 'none' },
      });
    }
    if (settled) {
      for (const name of APPS) {
        rows.push({
          figure: `(f) ${name} idle RSS once settled, ${SETTLED_MS / 1000} s after ready (baseline: bare Nest 12 + Fastify)`,
          depot: { value: megabytes(settled[name]!), unit: 'MB' },
          baseline: { value: megabytes(settled.bare!), unit: 'MB' },
          target: { kind: 'none' },
        });
      }
    }
    return rows;
  });
};
