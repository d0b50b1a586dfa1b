import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as DepotClientModule from '../../packages/client/src/index.js';
import { ROOT } from './app-launch';

/** The built `depot` CLI (`node <this> …`). */
export const CLI_MAIN = join(ROOT, 'packages/cli/dist/main.js');

/** The built `@depot/client`'s entry, for a process of its own to import. */
export const CLIENT_ENTRY = join(ROOT, 'packages/client/dist/index.js');

/**
 * The built `@depot/client` (packages/client/dist), as its users get it. `npm run build`
 * builds it (build:packages); the types are the source's, so typechecking needs no build.
 */
export async function loadClient(): Promise<typeof DepotClientModule> {
  if (!existsSync(CLIENT_ENTRY) || !existsSync(CLI_MAIN)) {
    throw new Error('packages/*/dist is missing: run npm run build (or npm run build:packages)');
  }
  return (await import(CLIENT_ENTRY)) as typeof DepotClientModule;
}

/** Whether the api serves tus at /v1/uploads (OPTIONS answers 204/200 with Tus-Version). */
export async function servesTus(apiUrl: string, key: string): Promise<boolean> {
  // OPTIONS /v1/uploads, like every upload route, needs a key with files:write.
  const response = await fetch(`${apiUrl}/v1/uploads`, {
    method: 'OPTIONS',
    headers: { authorization: `Bearer ${key}` },
  });
  await response.body?.cancel();
  return response.ok && response.headers.has('tus-version');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. */
  input?: string;
  cwd?: string;
}

/** Runs the built CLI without a terminal (stdout and stderr are pipes). */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return collect(spawn(process.execPath, [CLI_MAIN, ...args], spawnOptions(options)), options.input);
}

/**
 * Runs the built CLI in a pseudo-terminal through util-linux `script`, 120 columns wide;
 * stdout and stderr arrive together in `stdout`, escape sequences and all.
 */
export function runCliInTerminal(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const command = [
    'stty cols 120 rows 40;',
    'exec',
    ...[process.execPath, CLI_MAIN, ...args].map(shellQuote),
  ];
  return collect(
    spawn('script', ['-qfec', command.join(' '), '/dev/null'], spawnOptions(options)),
    options.input,
  );
}

export const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

function spawnOptions(options: CliOptions): SpawnOptions {
  return {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  };
}

function collect(child: ChildProcess, input?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin?.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
