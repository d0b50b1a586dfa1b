/**
 * The test matrix behind `npm test` (after lint, typecheck and build):
 *
 * 1. `db:check`, then the whole Jest suite on the postgres queue backend. Where no PostgreSQL
 *    answers at the configured address (a machine with nothing but Node), both run on an
 *    embedded PostgreSQL started here.
 * 2. Where Redis answers too (this project's machines and CI), the queue-dependent tests
 *    again on the redis backend, production's default.
 * 3. Each argument names another Node binary (`npm test -- <node>`; CI passes Node 24's): one
 *    more Jest leg runs on it, with its directory first on PATH so that what the tests start
 *    (apps, `npm start`, the CLI) runs on it too: the suite but for the files that check
 *    files and tools rather than the runtime (NODE_INDEPENDENT), on the redis backend where
 *    Redis answers (production's pairing: Node 24 and Redis are the Docker image's defaults).
 *    So every runtime-dependent test runs on each Node, and every queue-dependent test on each
 *    backend, without a second full matrix per Node.
 *
 * It ends with what ran where, how long it took, and what was skipped and why.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { loadConfigOrExit } from '@depot/config';
import { probeRedis } from '@depot/queue';
import {
  postgresAnswers,
  startTemporaryPostgres,
  type TemporaryPostgres,
} from './launcher/embedded-postgres';

const ROOT = resolve(__dirname, '..');

/** Tests that need a Redis server of their own, whatever the queue backend: not run on the postgres leg. */
const REDIS_ONLY = ['test/e2e/faults/redis-outage.spec.ts'];

/**
 * The tests that exercise queues (producers, processors, the scheduler, admin endpoints,
 * metrics, readiness, rate limits), run again on the redis backend. The rest of the suite
 * does not touch the queue backend, so one run of it is enough.
 */
const QUEUE_DEPENDENT = [
  'test/integration/files/',
  'test/integration/maintenance/',
  'test/integration/webhooks/',
  'test/e2e/admin-queues.spec.ts',
  'test/e2e/apps-boot.spec.ts',
  'test/e2e/faults/',
  'test/e2e/files/file-lifecycle.spec.ts',
  'test/e2e/http-hardening.spec.ts',
  'test/e2e/observability.spec.ts',
  'test/e2e/scheduler/',
  'test/e2e/webhooks/webhook-flow.spec.ts',
];

/**
 * Tests whose subject does not change with the Node version, run on the first Node only:
 * static checks of deploy/ (YAML, kubectl, docker-compose), the generated client types
 * against openapi.json, and the benchmark table's completeness (a development tool; the apps
 * it measures are exercised on each Node by the e2e tests).
 */
const NODE_INDEPENDENT = [
  'test/e2e/bench-quick.spec.ts',
  'test/e2e/deploy/kubernetes-manifests.spec.ts',
  'test/unit/deploy/',
  'test/unit/client/generated-types.spec.ts',
];

/** A Node binary the Jest legs run on. */
interface NodeRuntime {
  execPath: string;
  version: string;
  /** Node flags for Jest: see `jestRequiresEsm` in jest.config.js. */
  jestFlags: string[];
}

/** Asks the binary for its version and whether Jest can require ES modules on it (Node 24.9+). */
function nodeRuntime(execPath: string): NodeRuntime {
  const probe = `console.log(JSON.stringify([process.version,
    typeof require('node:vm').SourceTextModule?.prototype.hasAsyncGraph === 'function']))`;
  const [version, requiresEsm] = JSON.parse(
    execFileSync(execPath, ['--experimental-vm-modules', '-e', probe], { encoding: 'utf8' }),
  ) as [string, boolean];
  return { execPath, version, jestFlags: requiresEsm ? ['--experimental-vm-modules'] : [] };
}

interface LegResult {
  name: string;
  code: number;
  seconds: number;
  passed: number;
  failed: number;
  skipped: number;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

async function jestLeg(
  node: NodeRuntime,
  title: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<LegResult> {
  const name = `${title}, Node ${node.version}`;
  console.log(`\n== ${name}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'depot-test-leg-'));
  const report = join(dir, 'report.json');
  const started = Date.now();
  const code = await run(
    node.execPath,
    [
      ...node.jestFlags,
      join(ROOT, 'node_modules/jest/bin/jest.js'),
      '--ci',
      '--json',
      `--outputFile=${report}`,
      ...args,
    ],
    node.execPath === process.execPath
      ? env
      : { ...env, PATH: [dirname(node.execPath), env.PATH].filter(Boolean).join(delimiter) },
  );
  const seconds = (Date.now() - started) / 1000;
  let counts = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0 };
  try {
    counts = JSON.parse(readFileSync(report, 'utf8')) as typeof counts;
  } catch {
    // Jest did not get as far as a report; the exit code says it failed.
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    name,
    code,
    seconds,
    passed: counts.numPassedTests,
    failed: counts.numFailedTests,
    skipped: counts.numPendingTests,
  };
}

async function answers(probe: () => Promise<void>): Promise<boolean> {
  return probe().then(
    () => true,
    () => false,
  );
}

async function main(): Promise<number> {
  const nodes = [process.execPath, ...process.argv.slice(2)].map((path) => nodeRuntime(resolve(path)));
  const config = loadConfigOrExit();
  const env: NodeJS.ProcessEnv = { ...process.env };
  const skipped: string[] = [];
  const notes: string[] = [];

  let embedded: TemporaryPostgres | undefined;
  if (!(await postgresAnswers(config.database.url))) {
    embedded = await startTemporaryPostgres();
    env.DATABASE_URL = embedded.postgres.url('depot');
    notes.push(`no PostgreSQL answered at ${new URL(config.database.url).host}: ran on an embedded one`);
  }
  const redisUp = await answers(() => probeRedis({ ...config.redis, connectTimeoutMs: 2000 }));

  const results: LegResult[] = [];
  try {
    const started = Date.now();
    const check = await run('npm', ['run', '-s', 'db:check'], env);
    results.push({
      name: 'db:check',
      code: check,
      seconds: (Date.now() - started) / 1000,
      passed: 0,
      failed: 0,
      skipped: 0,
    });

    const postgresLeg = ['--testPathIgnorePatterns', ...REDIS_ONLY];
    const redisLeg = [...QUEUE_DEPENDENT, ...REDIS_ONLY];
    const postgres = { ...env, QUEUE_BACKEND: 'postgres' };
    const redis = { ...env, QUEUE_BACKEND: 'redis' };
    const [first, ...others] = nodes;
    results.push(await jestLeg(first!, 'whole suite, queue backend postgres', postgresLeg, postgres));
    if (redisUp) {
      results.push(await jestLeg(first!, 'queue-dependent tests, queue backend redis', redisLeg, redis));
    }
    for (const node of others) {
      const ignored = ['--testPathIgnorePatterns', ...NODE_INDEPENDENT, ...(redisUp ? [] : REDIS_ONLY)];
      const title = `suite but Node-independent files, queue backend ${redisUp ? 'redis' : 'postgres'}`;
      results.push(await jestLeg(node, title, ignored, redisUp ? redis : postgres));
    }
    skipped.push(`${REDIS_ONLY.join(', ')} on the postgres backend: it stops and starts a Redis server`);
    if (others.length > 0) {
      skipped.push(
        `on ${others.map((node) => `Node ${node.version}`).join(', ')}: ${NODE_INDEPENDENT.join(', ')} (Node-independent), and the queue-dependent tests on the ${redisUp ? 'postgres' : 'redis'} backend (run on Node ${first!.version})`,
      );
    }
    if (!redisUp) {
      skipped.push(
        `the redis leg (${QUEUE_DEPENDENT.length + REDIS_ONLY.length} queue-dependent paths): no Redis answered at ${new URL(config.redis.url).host}`,
      );
    }
  } finally {
    await embedded?.dispose();
  }

  console.log('\n== test matrix');
  for (const leg of results) {
    const counts =
      leg.name === 'db:check' ? '' : `: ${leg.passed} passed, ${leg.failed} failed, ${leg.skipped} skipped`;
    console.log(`${leg.code === 0 ? 'ok  ' : 'FAIL'} ${leg.name} (${leg.seconds.toFixed(0)} s)${counts}`);
  }
  for (const note of notes) console.log(`note: ${note}`);
  for (const line of skipped) console.log(`skipped: ${line}`);
  // One closing line over every leg, in the plain form CI reads.
  const total = (count: 'passed' | 'failed' | 'skipped'): number =>
    results.reduce((sum, leg) => sum + leg[count], 0);
  console.log(`tests: ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`);
  return results.every((leg) => leg.code === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
