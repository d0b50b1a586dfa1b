import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { transformFile } from '@swc/core';
import { appEnvironment } from '../../scripts/launcher/app-node-args';
import { type AppName, appLaunch, freePort, ROOT } from '../../test/support/app-launch';
import { OUT_DIR } from './compile';
import { nowMs, sleep } from './timing';
/** Keep the last this many characters of a child's output, for error messages. */
const OUTPUT_TAIL = 64 * 1024;
const RESULT_PREFIX = 'BENCH_RESULT ';

const running = new Set<ChildProcess>();
const interruptCleanups = new Set<() => Promise<void>>();
let exitHookInstalled = false;
let interruption: Promise<never> | undefined;

/**
 * Set once the bench got SIGINT or SIGTERM: its cleanups are running and the process exits
 * when they are done. Whoever would exit meanwhile awaits this instead.
 */
export function interrupted(): Promise<never> | undefined {
  return interruption;
}

/**
 * Registers what must be undone if the bench is interrupted (Ctrl-C, SIGTERM) before its
 * own teardown runs, e.g. a bench environment's database; returns the unregistration.
 */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  installExitHook();
  interruptCleanups.add(cleanup);
  return () => interruptCleanups.delete(cleanup);
}

const runEndCleanups = new Set<() => Promise<void>>();

/**
 * Registers what the end of the run undoes, after every benchmark's own teardown (what
 * outlives one benchmark, e.g. the migrated template database their own are copied from).
 */
export function onRunEnd(cleanup: () => Promise<void>): void {
  runEndCleanups.add(cleanup);
}

/** Runs the {@link onRunEnd} cleanups: `bench/run.ts` and a bench file run on its own call it last. */
export async function endRun(): Promise<void> {
  const cleanups = [...runEndCleanups];
  runEndCleanups.clear();
  const failures = (await Promise.allSettled(cleanups.map((cleanup) => cleanup()))).filter(
    (result) => result.status === 'rejected',
  );
  if (failures.length > 0) throw failures[0]!.reason;
}

/** Children must not outlive the bench, whatever ends it; on a signal, registered cleanups run first. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      process.stderr.write(`\n${signal}: cleaning up\n`);
      const cleanups = [...interruptCleanups].map((cleanup) => cleanup().catch(() => undefined));
      const deadline = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
      interruption = Promise.race([Promise.all(cleanups), deadline]).then(() => process.exit(130));
    });
  }
}

/**
 * The environment for a child: this process's, without any Depot configuration it may
 * carry (a test run's database, say), plus `env`.
 */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !name.startsWith('DEPOT__') &&
        ![
          'APP_ENV',
          'DATABASE_URL',
          'REDIS_URL',
          'QUEUE_PREFIX',
          'QUEUE_BACKEND',
          'STORAGE_LOCAL_ROOT',
          'STORAGE_DISK',
          'PORT',
          'WORKER_PORT',
          'SCHEDULER_PORT',
          'NODE_OPTIONS',
        ].includes(name),
    ),
  );
  return { ...inherited, ...env };
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Extra arguments for node itself, before the script (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** Open an IPC channel, for {@link BenchProcess.request}. */
  ipc?: boolean;
}

/** A child process the bench started: its output tail, its exit, and a stop that always ends it. */
export class BenchProcess {
  private tail = '';
  private stdoutLines = '';
  private readonly results: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    /** When the spawn was asked for (monotonic ms). */
    readonly startedAt = nowMs(),
  ) {
    installExitHook();
    running.add(child);
    const keep = (chunk: Buffer): void => {
      this.tail = (this.tail + chunk.toString()).slice(-OUTPUT_TAIL);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      keep(chunk);
      // Result lines are collected whole, however the output is chunked.
      this.stdoutLines += chunk.toString();
      const lines = this.stdoutLines.split('\n');
      this.stdoutLines = lines.pop()!;
      for (const line of lines) if (line.startsWith(RESULT_PREFIX)) this.results.push(line);
      if (this.stdoutLines.length > OUTPUT_TAIL) this.stdoutLines = '';
    });
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolveExit) =>
      child.once('exit', (code, signal) => {
        running.delete(child);
        resolveExit({ code, signal });
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last part of what the process wrote to stdout and stderr. */
  get output(): string {
    return this.tail;
  }

  /** The values of `BENCH_RESULT <json>` lines written so far (see {@link reportResult}). */
  private resultLines(): unknown[] {
    return this.results.map((line) => JSON.parse(line.slice(RESULT_PREFIX.length)) as unknown);
  }

  /** Waits for result line number `after` (0 for the first), failing if the process exits first. */
  async nextResult<T>(timeoutMs: number, after = 0): Promise<T> {
    const deadline = nowMs() + timeoutMs;
    while (nowMs() < deadline) {
      if (this.results.length > after) return this.resultLines()[after] as T;
      if (!this.isRunning) {
        await sleep(50); // let the last chunk of output arrive
        if (this.results.length > after) return this.resultLines()[after] as T;
        throw new Error(`${this.name} exited before reporting a result:\n${this.tail}`);
      }
      await sleep(20);
    }
    throw new Error(`${this.name} reported no result in ${timeoutMs} ms:\n${this.tail}`);
  }

  /**
   * Sends `message` over the IPC channel (spawned with `ipc: true`) and waits for the result
   * line the child writes in answer.
   */
  async request<T>(message: unknown, timeoutMs: number): Promise<T> {
    const index = this.results.length;
    this.child.send(message as object);
    return this.nextResult<T>(timeoutMs, index);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null if killed). */
  async stop(graceMs = 10_000): Promise<number | null> {
    if (this.isRunning) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const { code } = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

let profiled = 0;

/**
 * With `BENCH_CPU_PROF=<folder>` (`npm run bench -- --cpu-prof`), every child writes a V8 CPU
 * profile when it exits, to a folder of its own under that one named after the process.
 */
function profileArgs(name: string): string[] {
  const folder = process.env.BENCH_CPU_PROF;
  if (!folder) return [];
  const own = `${String(++profiled).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-')}`;
  return ['--cpu-prof', `--cpu-prof-dir=${join(folder, own)}`];
}

/** Starts `node [nodeArgs] <script> [args]`. */
export function spawnNode(
  name: string,
  script: string,
  args: string[] = [],
  options: SpawnOptions = {},
): BenchProcess {
  const startedAt = nowMs();
  const nodeArgs = [...profileArgs(name), ...(options.nodeArgs ?? [])];
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    cwd: ROOT,
    env: childEnv(options.env ?? {}),
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  return new BenchProcess(name, child, startedAt);
}

/**
 * Starts a TypeScript file of this repository in a child process through @swc-node/register
 * (which resolves the `@depot/*` aliases), as the `db:setup` script does. The transpiling
 * costs start-up time only: do not time a start this way.
 */
export function spawnScript(
  name: string,
  file: string,
  args: string[] = [],
  options: SpawnOptions = {},
): BenchProcess {
  return spawnNode(name, join(ROOT, file), args, {
    ...options,
    nodeArgs: ['-r', '@swc-node/register', ...(options.nodeArgs ?? [])],
    env: { SWC_NODE_PROJECT: join(ROOT, 'tsconfig.cli.json'), ...options.env },
  });
}

const bundles = new Map<string, Promise<string>>();

/**
 * Each TypeScript file of the repository through SWC with the decorator settings the apps
 * are built with (esbuild alone emits no decorator metadata, which Nest's injection needs).
 */
const swcTypeScript: Plugin = {
  name: 'swc-typescript',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const { code } = await transformFile(path, {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'es6' },
      });
      return { contents: code, loader: 'js' };
    });
  },
};

/** One JavaScript bundle of `file` per run (see {@link spawnBundled}); resolves with its path. */
function bundleOnce(file: string): Promise<string> {
  let bundle = bundles.get(file);
  if (bundle === undefined) {
    const outfile = join(OUT_DIR, 'bundles', file.replace(/[^a-z0-9.]+/gi, '-').replace(/\.ts$/, '.js'));
    bundle = build({
      entryPoints: [join(ROOT, file)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
      tsconfig: join(ROOT, 'tsconfig.cli.json'),
      // Nest and BullMQ may take a class's name as a token or a label.
      keepNames: true,
      plugins: [swcTypeScript],
      logLevel: 'error',
    }).then(() => outfile);
    bundles.set(file, bundle);
    bundle.catch(() => bundles.delete(file));
  }
  return bundle;
}

/**
 * Like {@link spawnScript}, from one JavaScript bundle of `file` made once per run (the
 * `@depot/*` libs inlined, packages left to `require`), so that a child started many times
 * does not transpile and load the libs file by file each time.
 */
export async function spawnBundled(
  name: string,
  file: string,
  args: string[] = [],
  options: SpawnOptions = {},
): Promise<BenchProcess> {
  return spawnNode(name, await bundleOnce(file), args, options);
}

/** Writes one result line for the parent (see {@link BenchProcess.nextResult}). */
export function reportResult(value: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(value)}\n`);
}

/** The status of a GET, or undefined when nothing answers. Uses a fresh connection each time. */
export function httpStatus(url: string, timeoutMs = 2000): Promise<number | undefined> {
  return new Promise((resolveStatus) => {
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolveStatus(res.statusCode);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolveStatus(undefined));
    req.end();
  });
}

/** Polls until GET `url` answers 200; fails when `process` exits first or time runs out. */
export async function waitFor200(
  url: string,
  process: BenchProcess,
  // A bound, not a measure: a loaded machine (the quick run in the e2e suite) boots slowly.
  timeoutMs = 120_000,
  intervalMs = 10,
): Promise<number> {
  const deadline = nowMs() + timeoutMs;
  while (nowMs() < deadline) {
    if (!process.isRunning)
      throw new Error(`${process.name} exited before ${url} answered:\n${process.output}`);
    if ((await httpStatus(url)) === 200) return nowMs();
    await sleep(intervalMs);
  }
  throw new Error(`${url} did not answer 200 in ${timeoutMs} ms:\n${process.output}`);
}

/** One of the built apps (`dist/apps/<name>/main.js`), on its own port. */
export interface RunningApp {
  name: AppName;
  url: string;
  port: number;
  process: BenchProcess;
  /** Milliseconds from spawn to the first 200 of `/health/ready`. */
  readyMs: number;
  stop(): Promise<number | null>;
  /** A request to a path of the app (what test/support/depot-api's helpers take). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * Starts a built app with `env` (a {@link BenchEnv}'s, usually) on a free loopback port and
 * waits until `/health/ready` answers 200. Run `npm run build` first.
 */
export async function startApp(
  name: AppName,
  env: Record<string, string>,
  options: { nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<RunningApp> {
  const port = await freePort();
  const { nodeArgs, main, url, env: placement } = appLaunch(name, port);
  const child = spawnNode(name, main, [], {
    nodeArgs: [...nodeArgs, ...(options.nodeArgs ?? [])],
    env: { ...appEnvironment(env), ...placement },
  });
  try {
    const readyAt = await waitFor200(`${url}/health/ready`, child, options.timeoutMs);
    return {
      name,
      url,
      port,
      process: child,
      readyMs: readyAt - child.startedAt,
      stop: () => child.stop(),
      fetch: (path, init) => fetch(`${url}${path}`, init),
    };
  } catch (error) {
    await child.stop(2000);
    throw error;
  }
}
