import { type ChildProcess, spawn } from 'node:child_process';
import { loadConfig } from '@depot/config';
import { migrateQueueBackend } from '@depot/queue';
import { appEnvironment } from '../../scripts/launcher/app-node-args';
import { type AppName, appLaunch, freePort, ROOT } from './app-launch';

/**
 * How long an app may take to become ready. Generous: on a loaded machine a Nest app's boot
 * can take tens of seconds, and the wait ends as soon as it answers.
 */
const READY_TIMEOUT_MS = 120_000;

/**
 * Connect timeouts for the test run's apps: the shipped 3 s is for a server that answers at
 * once, and an app booting on a starved CPU may not run its timer callbacks in time. A test
 * of an unreachable dependency sees a refused connection, not a timeout.
 */
const CONNECT_TIMEOUTS: Record<string, string> = {
  DEPOT__DATABASE__CONNECT_TIMEOUT_MS: '15000',
  DEPOT__REDIS__CONNECT_TIMEOUT_MS: '15000',
};

/** One of the built apps (`dist/apps/<name>/main.js`) running as a separate process. */
export class AppProcess {
  private output = '';
  private exit?: Promise<number | null>;

  private constructor(
    readonly name: AppName,
    readonly url: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Starts an app on a free port with this test run's environment (database, queue prefix,
   * storage root) plus `env`. It does not wait for readiness: see {@link waitReady}.
   * A test may give the app a queue prefix (or database) of its own: on the postgres queue
   * backend that is a schema, which is created first as db:setup would, unless
   * `createQueueSchema` is false (a test of the app's refusal to start without it). Where the
   * database does not answer (a test of exactly that), the app's own boot check says so.
   */
  static async start(
    name: AppName,
    env: Record<string, string> = {},
    { createQueueSchema = true }: { createQueueSchema?: boolean } = {},
  ): Promise<AppProcess> {
    if (createQueueSchema) {
      await Promise.resolve()
        .then(() =>
          migrateQueueBackend(loadConfig({ env: { ...process.env, APP_ENV: 'test', ...env } }).config),
        )
        .catch(() => undefined);
    }
    const launch = appLaunch(name, await freePort());
    const child = spawn(process.execPath, [...launch.nodeArgs, launch.main], {
      cwd: ROOT,
      env: {
        ...appEnvironment(process.env),
        APP_ENV: 'test',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
        ...CONNECT_TIMEOUTS,
        ...launch.env,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AppProcess(name, launch.url, child);
  }

  /** Starts an app and waits until `/health/ready` answers 200. */
  static async startReady(
    name: AppName,
    env: Record<string, string> = {},
    timeoutMs = READY_TIMEOUT_MS,
  ): Promise<AppProcess> {
    const app = await AppProcess.start(name, env);
    try {
      await app.waitReady(timeoutMs);
    } catch (error) {
      // Not handed to the caller, so no one else would stop it: it must not outlive the test.
      await app.stop('SIGKILL');
      throw error;
    }
    return app;
  }

  /** Everything the process wrote to stdout and stderr so far. */
  get logs(): string {
    return this.output;
  }

  /** For a failed wait's message: whether the process still runs, and the end of its output. */
  describe(lines = 20): string {
    const state =
      this.child.exitCode !== null || this.child.signalCode !== null
        ? `exited (${this.child.exitCode ?? this.child.signalCode})`
        : 'running';
    return `${this.name} (pid ${this.child.pid}) ${state}; its last lines:\n${this.output.trimEnd().split('\n').slice(-lines).join('\n')}`;
  }

  /** The JSON log lines written so far, parsed. */
  logLines(): Array<Record<string, unknown>> {
    return this.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  get exitCode(): Promise<number | null> {
    return this.exit!;
  }

  async waitReady(timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exit!.then(() => (exited = true));
    while (Date.now() < deadline && !exited) {
      try {
        const response = await fetch(`${this.url}/health/ready`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(
      `${this.name} did not become ready in ${timeoutMs} ms${exited ? ' (it exited)' : ''}:\n${this.output}`,
    );
  }

  /** Sends `signal` and resolves with the exit code (null if killed by a signal). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exit!;
  }

  fetch(path: string, init?: RequestInit): Promise<Response> {
    return fetch(`${this.url}${path}`, init);
  }
}
