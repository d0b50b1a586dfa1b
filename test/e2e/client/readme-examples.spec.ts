import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/app-launch';
import { AppProcess } from '../../support/app-process';
import { ADMIN_KEY, createTenant } from '../../support/depot-api';
import { CLI_MAIN, type CliResult, loadClient, shellQuote } from '../../support/depot-client';
import { stopChild, waitFor } from '../../support/wait';

const ROOT = join(__dirname, '../../..');
const PAGES = ['docs/cli.md', 'packages/client/README.md'];

/** The fenced blocks marked `<!-- test: name -->` in the docs, by name. */
function examples(): Map<string, string> {
  const found = new Map<string, string>();
  for (const page of PAGES) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    for (const match of text.matchAll(/<!-- test: ([\w-]+) -->\s*```\w+\n([\s\S]*?)```/g)) {
      found.set(match[1]!, match[2]!);
    }
  }
  return found;
}

/** Fails with everything the example printed when it did not exit 0. */
function expectSuccess(result: CliResult): void {
  if (result.code !== 0) {
    throw new Error(
      `the example exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
}

/** The examples in the client's README and docs/cli.md, run as a reader would run them. */
describe('documented examples', () => {
  const code = examples();
  let api: AppProcess;
  let worker: AppProcess;
  let work: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    await loadClient();
    [api, worker] = await Promise.all([AppProcess.startReady('api'), AppProcess.startReady('worker')]);
    // A folder like a user's project: README.md to upload, @depot/client installed, depot on PATH.
    work = mkdtempSync(join(tmpdir(), 'depot-examples-'));
    copyFileSync(join(ROOT, 'README.md'), join(work, 'README.md'));
    mkdirSync(join(work, 'node_modules/@depot'), { recursive: true });
    symlinkSync(join(ROOT, 'packages/client'), join(work, 'node_modules/@depot/client'));
    mkdirSync(join(work, 'bin'));
    writeFileSync(
      join(work, 'bin/depot'),
      `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(CLI_MAIN)} "$@"\n`,
    );
    chmodSync(join(work, 'bin/depot'), 0o755);
    env = {
      DEPOT_URL: api.url,
      DEPOT_KEY: (await createTenant(api, 'Examples')).apiKey.key,
      PATH: `${join(work, 'bin')}:${process.env.PATH}`,
      XDG_CONFIG_HOME: join(work, 'config'),
      XDG_STATE_HOME: join(work, 'state'),
    };
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function start(command: string, args: string[], extraEnv: Record<string, string> = {}): ChildProcess {
    return spawn(command, args, { cwd: work, env: { ...process.env, ...env, ...extraEnv }, stdio: 'pipe' });
  }

  function run(command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
    const child = start(command, args, extraEnv);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  }

  const script = (name: string, source: string): string => {
    const path = join(work, name);
    writeFileSync(path, source);
    return path;
  };

  it('finds every marked example', () => {
    expect([...code.keys()].sort()).toEqual([
      'cli-admin',
      'cli-walk',
      'client-quickstart',
      'client-webhook-receiver',
    ]);
  });

  it('runs the client quick start', async () => {
    const result = await run(process.execPath, [script('quickstart.mjs', code.get('client-quickstart')!)]);
    expectSuccess(result);
    expect(result.stderr).toBe('');
    const size = readFileSync(join(work, 'README.md')).length;
    expect(result.stdout).toContain(`sent ${size} of ${size}`);
    expect(result.stdout).toMatch(/^ready [0-9a-f]{64}$/m);
    expect(result.stdout).toContain(
      `206 ${JSON.stringify(readFileSync(join(work, 'README.md'), 'utf8').slice(0, 10))}`,
    );
    expect(result.stdout).toContain(`link 200 ${size}`);
    expect(result.stdout).toMatch(/^404 Not Found \S+$/m);
  });

  it('runs the webhook receiver: it verifies real deliveries and refuses forged ones', async () => {
    const { Depot } = await loadClient();
    const depot = new Depot({ baseUrl: api.url, apiKey: env.DEPOT_KEY! });
    const port = await freePort();
    const webhook = await depot.webhooks.create({
      url: `http://127.0.0.1:${port}/depot`,
      events: ['file.ready'],
    });
    const receiver = start(process.execPath, [script('receiver.mjs', code.get('client-webhook-receiver')!)], {
      PORT: String(port),
      DEPOT_WEBHOOK_SECRET: webhook.secret,
    });
    let output = '';
    receiver.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const forged = await waitFor('the receiver to listen', 10_000, () =>
        fetch(`http://127.0.0.1:${port}/depot`, {
          method: 'POST',
          headers: { 'depot-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
          body: '{"type":"file.ready","data":{"id":"forged"}}',
        }),
      );
      expect(forged.status).toBe(401);
      expect(await forged.text()).toBe('mismatch');

      const file = await depot.files.upload(Buffer.from('hooked'), { name: 'hooked.txt' });
      await waitFor('the receiver to log the delivery', 20_000, async () =>
        output.includes(`file.ready ${file.id}`),
      );
      expect(output).not.toContain('forged');
    } finally {
      await stopChild(receiver, 'SIGTERM', 5_000);
    }
  });

  it('runs the CLI walk', async () => {
    const result = await run('bash', ['-euo', 'pipefail', '-c', code.get('cli-walk')!]);
    expectSuccess(result);
    expect(result.stdout).toMatch(/^deleted [0-9a-f-]{36}$/m);
    expect(result.stdout).toMatch(/^expires \S+$/m);
    expect(Array.isArray(JSON.parse(readFileSync(join(work, 'files.json'), 'utf8')))).toBe(true);
  });

  it("runs the operator's CLI examples", async () => {
    const result = await run('bash', ['-euo', 'pipefail', '-c', code.get('cli-admin')!], {
      DEPOT_KEY: ADMIN_KEY,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^created key \S+ \(files:read files:write\)$/m);
    expect(result.stdout).toMatch(/^QUEUE +WAITING/m);
  });
});
