/**
 * `npm start`: the three apps in one terminal, after `npm run build` where the sources (or
 * the installed dependencies) changed since its last build (launcher/build-state.ts).
 *
 * - With `DATABASE_URL` set (in the environment or config/local/), as deployments run:
 *   `db:setup` against it, then api, worker and scheduler on the configured queue backend.
 * - Without it (development on a machine with nothing but Node): an embedded PostgreSQL
 *   with its data in `.depot/` of this checkout, on a free port, and the postgres queue
 *   backend, so neither a PostgreSQL nor a Redis server is needed. Production never embeds.
 *
 * Ctrl-C (or SIGTERM, or the terminal closing) stops the apps, then PostgreSQL. A launcher
 * killed with -9 leaves nothing that blocks the next start: the next one stops what it left.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, type DepotConfig, loadConfig } from '@depot/config';
import { setupDatabase } from '../database/setup';
import { clusterOwner, EmbeddedPostgres, UnsupportedPlatformError } from './launcher/embedded-postgres';
import { APP_NODE_ARGS, appEnvironment } from './launcher/app-node-args';
import { freePort } from './launcher/free-port';
import { RunState } from './launcher/run-state';
import { buildIfChanged } from './launcher/build-state';

const CHECKOUT = resolve(__dirname, '..');
const STATE_DIR = join(CHECKOUT, '.depot');
const APPS = ['api', 'worker', 'scheduler'] as const;
/** Tried first for the embedded server, so its address stays the same from start to start. */
const PREFERRED_PORT = 55432;
const COLORS: Record<string, string> = {
  api: '34',
  worker: '32',
  scheduler: '35',
  launcher: '36',
  postgres: '33',
};

const colour = process.stdout.isTTY;
function say(name: string, line: string): void {
  const label = colour ? `\u001b[${COLORS[name] ?? '0'}m[${name}]\u001b[0m` : `[${name}]`;
  process.stdout.write(`${label} ${line}\n`);
}

/** Marks the config/local/ files the launcher writes, so it can tell them from an operator's own. */
const LOCAL_MARK = '# Written by `npm start` for its embedded PostgreSQL';
const LOCAL_CONFIG = join(CHECKOUT, 'config', 'local');

function launchersOwn(file: string): boolean {
  return existsSync(file) && readFileSync(file, 'utf8').startsWith(LOCAL_MARK);
}

/**
 * Where `database.url` came from decides: an environment variable or an operator's file in
 * config/local/ means "use mine"; the shipped default (or the launcher's own file) means
 * "embed one".
 */
function wantsEmbedded(sources: ReadonlyMap<string, string>): boolean {
  const source = sources.get('database.url') ?? '';
  if (source.startsWith('env ')) return false;
  return !source.includes('local/') || launchersOwn(resolve(CHECKOUT, source));
}

/**
 * While the embedded database runs, config/local/ points the other commands (`db:seed`,
 * `config:print`, `scheduler:run`, `db:check`, the migrations) at it. A section the operator
 * already has a local file for is left alone, and a note says what to set instead.
 */
function writeLocalConfig(url: string): string[] {
  const sections = { database: `url: ${url}`, queue: 'backend: postgres' };
  const notes: string[] = [];
  mkdirSync(LOCAL_CONFIG, { recursive: true });
  for (const [section, body] of Object.entries(sections)) {
    const file = join(LOCAL_CONFIG, `${section}.yaml`);
    const others = readdirSync(LOCAL_CONFIG).filter(
      (name) => name.startsWith(`${section}.`) && !launchersOwn(join(LOCAL_CONFIG, name)),
    );
    if (others.length > 0) {
      notes.push(
        `config/local/${others[0]} is yours, so other commands need ${section === 'database' ? 'DATABASE_URL' : 'QUEUE_BACKEND=postgres'} set`,
      );
      continue;
    }
    writeFileSync(file, `${LOCAL_MARK} (removed when it stops).\n${body}\n`, { mode: 0o600 });
  }
  return notes;
}

function removeLocalConfig(): void {
  for (const section of ['database', 'queue']) {
    const file = join(LOCAL_CONFIG, `${section}.yaml`);
    if (launchersOwn(file)) rmSync(file);
  }
}

function load(env: NodeJS.ProcessEnv): { config: DepotConfig; embedded: boolean } {
  const { config, sources } = loadConfig({ env });
  return { config, embedded: wantsEmbedded(sources) };
}

/** A host to put in a URL for a browser: a wildcard bind address means this machine. */
function browsable(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

function pipeLines(name: string, stream: NodeJS.ReadableStream | null): void {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) say(name, line);
  });
  stream?.on('end', () => rest && say(name, rest));
}

interface Running {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

function startApp(name: string, env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [...APP_NODE_ARGS, join(CHECKOUT, 'dist', 'apps', name, 'main.js')], {
    cwd: CHECKOUT,
    env: appEnvironment(env),
    // Own process group: a terminal's Ctrl-C reaches the launcher alone, which stops the apps
    // once each and PostgreSQL after them.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pipeLines(name, child.stdout);
  pipeLines(name, child.stderr);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { name, child, exited };
}

async function main(): Promise<number> {
  let loaded: { config: DepotConfig; embedded: boolean };
  try {
    loaded = load(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const state = new RunState(join(STATE_DIR, 'launcher.json'));
  const other = state.liveLauncher();
  if (other) {
    console.error(
      `npm start: another launcher (pid ${other}) runs on this checkout; stop it first (Ctrl-C there)`,
    );
    return 1;
  }
  const orphans = await state.stopOrphans(loaded.config.app.shutdownTimeoutMs + 2000);
  if (orphans > 0) say('launcher', `stopped ${orphans} app process(es) a previous launcher left running`);
  if (!(await buildIfChanged(CHECKOUT, (line) => say('launcher', line)))) {
    console.error('npm start: the build failed');
    return 1;
  }

  const env: NodeJS.ProcessEnv = { ...process.env };
  let postgres: EmbeddedPostgres | undefined;
  if (loaded.embedded) {
    if (loaded.config.app.env === 'production') {
      console.error('npm start: production never starts an embedded database; set DATABASE_URL');
      return 1;
    }
    const dir = join(STATE_DIR, 'postgres');
    postgres = new EmbeddedPostgres({
      dir,
      port: await freePort(PREFERRED_PORT),
      owner: clusterOwner(CHECKOUT),
      onLog: (line) => {
        if (/FATAL|PANIC|ERROR/.test(line)) say('postgres', line);
      },
    });
    const started = Date.now();
    const created = await postgres.initialise();
    await postgres.start();
    say(
      'launcher',
      `embedded PostgreSQL ${created ? 'created and ' : ''}started in ${Date.now() - started} ms at ${postgres.url('depot').replace(/:[^:@/]+@/, ':***@')}`,
    );
    env.DATABASE_URL = postgres.url('depot');
    env.QUEUE_BACKEND = 'postgres';
  }
  const { config } = load(env);

  const stopPostgres = async (): Promise<void> => {
    await postgres?.stop();
  };
  try {
    for (const line of await setupDatabase(config)) say('launcher', line);
  } catch (error) {
    console.error(`npm start: db:setup failed: ${error instanceof Error ? error.message : String(error)}`);
    await stopPostgres();
    return 1;
  }

  if (postgres) {
    for (const note of writeLocalConfig(postgres.url('depot'))) say('launcher', `note: ${note}`);
    const storage = config.storage.disks[config.storage.default];
    say('launcher', `data: database in ${join(STATE_DIR, 'postgres')}`);
    if (storage?.driver === 'local') say('launcher', `data: files in ${resolve(CHECKOUT, storage.root)}`);
    say('launcher', 'reset: stop with Ctrl-C, then remove those folders (`rm -rf .depot storage`)');
    say(
      'launcher',
      'queue backend: postgres; `npm run db:seed` and the other commands use this database while it runs',
    );
    say('launcher', 'your own servers instead: set DATABASE_URL (and REDIS_URL)');
  }
  say(
    'launcher',
    `api on http://${browsable(config.api.host)}:${config.api.port} (docs at /docs), worker on :${config.worker.port}, scheduler on :${config.scheduler.port}; Ctrl-C stops all`,
  );

  const apps = APPS.map((name) => startApp(name, env));
  state.write(apps.flatMap(({ child }) => (child.pid ? [child.pid] : [])));

  return new Promise<number>((done) => {
    let stopping = false;
    const stop = async (reason: string, code: number): Promise<void> => {
      if (stopping) return;
      stopping = true;
      say('launcher', `${reason}: stopping the apps`);
      for (const { child } of apps)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => {
        for (const { child } of apps) if (child.exitCode === null) child.kill('SIGKILL');
      }, config.app.shutdownTimeoutMs + 2000);
      await Promise.all(apps.map(({ exited }) => exited));
      clearTimeout(killer);
      if (postgres) {
        say('launcher', 'stopping PostgreSQL');
        await stopPostgres();
      }
      state.clear();
      removeLocalConfig();
      say('launcher', 'stopped');
      done(code);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => void stop(signal, 0));
    }
    for (const { name, exited } of apps) {
      void exited.then((code) => {
        if (!stopping) void stop(`${name} exited with ${code ?? 'a signal'}`, 1);
      });
    }
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UnsupportedPlatformError) {
      console.error(
        `npm start: ${error.message}; set DATABASE_URL (and REDIS_URL) to run on your own servers`,
      );
    } else {
      console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exit(1);
  },
);
