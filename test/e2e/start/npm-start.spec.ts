import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportedDay, usageReportKey } from '@depot/files';
import { loadConfig } from '@depot/config';
import { cloneCheckout } from '../../../bench/support/checkout-clone';
import { waitFor } from '../../support/wait';

/** `unshare --net` works here (root on Linux): no PostgreSQL or Redis of the machine can answer. */
function canIsolateNetwork(): boolean {
  try {
    execFileSync('unshare', ['--net', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const ISOLATED = canIsolateNetwork();

interface Answer {
  status: number;
  body: string;
  json<T>(): T;
}

/**
 * The warning and error entries in npm start's output (pino-pretty's level word, and the
 * indented lines of fields after it), for a failure's message: request logs drown them.
 */
function warningsIn(output: string): string {
  const lines = output.split('\n');
  const kept: string[] = [];
  lines.forEach((line, index) => {
    if (!/\b(?:\d+m)?(?:WARN|ERROR|FATAL)\b/.test(line)) return;
    kept.push(line);
    for (const next of lines.slice(index + 1, index + 25)) {
      if (!/^\S*\[\w+\] {2,}/.test(next)) break;
      kept.push(next);
    }
  });
  return kept.join('\n');
}

/**
 * `npm start` exactly as the README says, in a clone of its own: inside a network namespace
 * with nothing but loopback where `unshare` can be used, else with the Redis address pointed
 * at a closed port (the embedded default never needs one). Commands and HTTP requests run in
 * the same namespace, through `nsenter`.
 */
class Checkout {
  private readonly clone = cloneCheckout('npm-start');
  readonly dir = this.clone.dir;
  private launcher?: ChildProcess;
  private exited?: Promise<number | null>;
  output = '';

  private get env(): NodeJS.ProcessEnv {
    // A clean environment: no DATABASE_URL, REDIS_URL or QUEUE_* of the test run.
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      ...(ISOLATED ? {} : { REDIS_URL: 'redis://127.0.0.1:1' }),
    };
  }

  /** `npm start`, as a terminal runs it: a process group of its own, so Ctrl-C reaches all of it. */
  start(): void {
    this.output = '';
    const [command, args] = ISOLATED
      ? ['unshare', ['--net', 'sh', '-c', 'ip link set lo up && exec npm start']]
      : ['npm', ['start']];
    const child = spawn(command, args, {
      cwd: this.dir,
      env: this.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.launcher = child;
  }

  /** Runs `file args` beside the launcher (in its network namespace); resolves to stdout. */
  run(file: string, args: string[], input?: string): Promise<string> {
    const [command, fullArgs] = ISOLATED
      ? ['nsenter', ['-t', String(this.launcher!.pid), '-n', file, ...args]]
      : [file, args];
    return new Promise((resolve, reject) => {
      const child = spawn(command, fullArgs, { cwd: this.dir, env: this.env, stdio: 'pipe' });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('exit', (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`${file} ${args.join(' ')}: ${code}\n${stderr}`)),
      );
      child.stdin.end(input ?? '');
    });
  }

  /** An HTTP request to the api, from inside the namespace. Multipart when `upload` is given. */
  async fetch(
    path: string,
    { method = 'GET', key, upload }: { method?: string; key?: string; upload?: Buffer } = {},
  ): Promise<Answer> {
    const script = `
      const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
      const init = { method: input.method, headers: input.key ? { authorization: 'Bearer ' + input.key } : {} };
      if (input.upload !== undefined) {
        init.body = new FormData();
        init.body.append('file', new Blob([Buffer.from(input.upload, 'base64')]), 'walk.txt');
      }
      fetch('http://127.0.0.1:3000' + input.path, init).then(async (response) => {
        process.stdout.write(JSON.stringify({ status: response.status, body: Buffer.from(await response.arrayBuffer()).toString('base64') }));
      }, (error) => { process.stdout.write(JSON.stringify({ status: 0, body: Buffer.from(String(error)).toString('base64') })); });`;
    const raw = await this.run(
      process.execPath,
      ['-e', script],
      JSON.stringify({ path, method, key, upload: upload?.toString('base64') }),
    );
    const { status, body } = JSON.parse(raw) as { status: number; body: string };
    const text = Buffer.from(body, 'base64').toString();
    return { status, body: text, json: <T>() => JSON.parse(text) as T };
  }

  /** Waits for the api to answer ready and the scheduler to say so; a failure shows what npm start printed. */
  async waitReady(): Promise<void> {
    let outcome: 'ready' | 'exited';
    try {
      outcome = await waitFor('npm start to serve the api', 120_000, async () => {
        if (this.launcher?.exitCode !== null) return 'exited' as const;
        const ready = await this.fetch('/health/ready');
        if (ready.status !== 200) {
          throw new Error(`/health/ready answered ${ready.status}: ${ready.body.slice(0, 300)}`);
        }
        if (!this.output.includes('scheduler ready'))
          throw new Error('the scheduler has not said it is ready');
        return 'ready' as const;
      });
    } catch (error) {
      throw new Error(
        [
          String(error),
          `readiness as the operator sees it: ${await this.readinessWithErrors()}`,
          `warnings and errors npm start printed:\n${warningsIn(this.output).slice(-8000)}`,
          `npm start printed last:\n${this.output.slice(-3000)}`,
        ].join('\n'),
        { cause: error },
      );
    }
    if (outcome === 'exited') throw new Error(`npm start exited:\n${this.output}`);
  }

  /** The operator's key in development, from the checkout's config, as the README's walk uses it. */
  adminKey(): string {
    return loadConfig({ configDir: join(this.dir, 'config'), env: { APP_ENV: 'development' } }).config.auth
      .adminApiKey;
  }

  /** `/health/ready` with the admin key, which adds each failed check's error; for a failure's message. */
  private async readinessWithErrors(): Promise<string> {
    try {
      const answer = await this.fetch('/health/ready', { key: this.adminKey() });
      return `${answer.status} ${answer.body.slice(0, 2000)}`;
    } catch (error) {
      return `not read (${String(error)})`;
    }
  }

  /** The pids of everything the launcher runs: the three apps and PostgreSQL. */
  pids(): number[] {
    const { apps } = JSON.parse(readFileSync(join(this.dir, '.depot', 'launcher.json'), 'utf8')) as {
      apps: number[];
    };
    const postmaster = Number(
      readFileSync(join(this.dir, '.depot', 'postgres', 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    return [...apps, postmaster];
  }

  /** Ctrl-C in the terminal: SIGINT to the launcher's process group; resolves to its exit code. */
  async interrupt(): Promise<number | null> {
    process.kill(-this.launcher!.pid!, 'SIGINT');
    return this.exited!;
  }

  /** `kill -9` of the launcher alone (the node process `npm start` runs); resolves once npm has exited. */
  async kill9(): Promise<void> {
    const { launcher } = JSON.parse(readFileSync(join(this.dir, '.depot', 'launcher.json'), 'utf8')) as {
      launcher: number;
    };
    process.kill(launcher, 'SIGKILL');
    await this.exited;
  }

  async dispose(): Promise<void> {
    if (this.launcher && this.launcher.exitCode === null) {
      process.kill(-this.launcher.pid!, 'SIGINT');
      await this.exited;
    }
    this.clone.remove();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface FileBody {
  id: string;
  status: string;
  sha256: string | null;
}

describe(`npm start with nothing but Node (${ISOLATED ? 'in a network namespace' : 'Redis pointed at a closed port'})`, () => {
  const checkout = new Checkout();

  afterAll(() => checkout.dispose());

  // A cold start (build, embedded PostgreSQL, three apps), the walk, and two starts again.
  it('seeds, takes a file to ready with its sha256, runs a scheduler task, stops on Ctrl-C, and keeps the file', async () => {
    checkout.start();
    await checkout.waitReady();
    // A fresh clone has no dist/: the first start builds.
    expect(checkout.output).toMatch(/build: `npm run build`/);
    expect(checkout.output).toMatch(/Rspack .*compiled/);
    expect(checkout.output).toMatch(/embedded PostgreSQL created and started/);
    expect(checkout.output).toContain(join(checkout.dir, '.depot', 'postgres'));
    expect(checkout.output).toMatch(/reset: .*rm -rf \.depot storage/);

    const seed = await checkout.run('npm', ['run', '-s', 'db:seed']);
    const key = /^api key\s+(\S+)$/m.exec(seed)?.[1];
    expect(key).toBeDefined();

    const content = Buffer.from(`walked through npm start at ${new Date().toISOString()}\n`);
    const created = await checkout.fetch('/v1/files', { method: 'POST', key, upload: content });
    expect(created.status).toBe(201);
    const { id } = created.json<FileBody>();
    const sha256 = createHash('sha256').update(content).digest('hex');
    await waitFor('the file to be ready', 30_000, async () => {
      const file = (await checkout.fetch(`/v1/files/${id}`, { key })).json<FileBody>();
      if (file.status === 'failed') throw new Error(`the file failed: ${JSON.stringify(file)}`);
      return file.status === 'ready' ? file : undefined;
    }).then((file) => expect(file.sha256).toBe(sha256));
    const download = await checkout.fetch(`/v1/files/${id}/content`, { key });
    expect(download.status).toBe(200);
    expect(download.body).toBe(content.toString());

    const run = await checkout.run('npm', ['run', '-s', 'scheduler:run', '--', 'usageReport']);
    const [, jobId, scheduledAt] = /job (\S+), run \S+ at (\S+)/.exec(run) ?? [];
    expect(jobId).toMatch(/^usageReport-manual-/);
    const adminKey = checkout.adminKey();
    await waitFor('the scheduler run to be recorded', 30_000, async () => {
      const runs = (
        await checkout.fetch('/v1/admin/scheduler/runs?task=usageReport', { key: adminKey })
      ).json<{
        items: Array<{ jobId: string }>;
      }>();
      return runs.items.some((item) => item.jobId === jobId);
    });
    // The worker ran it: the day's usage report is in the checkout's storage folder.
    const report = join(checkout.dir, 'storage', usageReportKey(reportedDay(new Date(scheduledAt!)).day));
    await waitFor('the usage report', 30_000, async () => existsSync(report));

    const pids = checkout.pids();
    const stopping = Date.now();
    expect(await checkout.interrupt()).toBe(0);
    await waitFor('every process to stop', 15_000 - (Date.now() - stopping), async () =>
      pids.every((pid) => !alive(pid)),
    );
    expect(Date.now() - stopping).toBeLessThan(15_000);
    expect(checkout.output).toMatch(/stopping the apps[\s\S]*stopping PostgreSQL[\s\S]*stopped/);

    checkout.start();
    await checkout.waitReady();
    expect(checkout.output).not.toMatch(/created and started/);
    // Nothing changed since the first start's build: the apps run from it as it is.
    expect(checkout.output).toMatch(/build: dist\/ is up to date with the sources, not built again/);
    expect(checkout.output).not.toMatch(/Rspack .*compiled/);
    const again = (await checkout.fetch(`/v1/files/${id}`, { key })).json<FileBody>();
    expect(again).toMatchObject({ id, status: 'ready', sha256 });
    expect((await checkout.fetch(`/v1/files/${id}/content`, { key })).body).toBe(content.toString());

    // A launcher killed with -9 leaves its apps and PostgreSQL running; the next start stops them.
    const left = checkout.pids();
    await checkout.kill9();
    checkout.start();
    await checkout.waitReady();
    expect(checkout.output).toMatch(/stopped 3 app process\(es\) a previous launcher left running/);
    expect(left.filter(alive)).toEqual([]);
    expect((await checkout.fetch(`/v1/files/${id}`, { key })).json<FileBody>()).toMatchObject({
      status: 'ready',
    });
    expect(await checkout.interrupt()).toBe(0);
  }, 300_000);
});
