import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess } from '../../support/app-process';
import { ADMIN_KEY, createTenant, type FileJson, waitForStatus } from '../../support/depot-api';
import { CLI_MAIN, loadClient, runCli, runCliInTerminal, servesTus } from '../../support/depot-client';
import { itWithTus } from '../../support/tus-contract';
import { stopChild, waitFor } from '../../support/wait';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const UPLOADED = /^uploaded (\S+) ([0-9a-f-]{36}) (\w+)$/m;

/** The built `depot` CLI as a child process, against the built api and worker. */
describe('depot CLI', () => {
  let api: AppProcess;
  let worker: AppProcess;
  let key: string;
  let folder: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    await loadClient(); // fails early, with the reason, when the packages are not built
    folder = mkdtempSync(join(tmpdir(), 'depot-cli-'));
    [api, worker] = await Promise.all([AppProcess.startReady('api'), AppProcess.startReady('worker')]);
    key = (await createTenant(api, 'Cli')).apiKey.key;
    // Its own config and state folders: no profile or resume state from the machine.
    env = {
      DEPOT_URL: api.url,
      DEPOT_KEY: key,
      XDG_CONFIG_HOME: join(folder, 'config'),
      XDG_STATE_HOME: join(folder, 'state'),
    };
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    rmSync(folder, { recursive: true, force: true });
  });

  const file = (name: string, bytes: Buffer): string => {
    const path = join(folder, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('uploads without a terminal: plain progress lines on stderr, the result on stdout', async () => {
    const content = randomBytes(3 * 1024 * 1024);
    const result = await runCli(['upload', file('plain.bin', content)], { env });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stderr).not.toContain('\u001b');
    const lines = result.stderr.trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^plain\.bin \d+% .+\/.+ .+\/s ETA \S+$/);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toMatch(/^plain\.bin 100% 3\.0 MiB\/3\.0 MiB /);
    const [, name, id, status] = UPLOADED.exec(result.stdout) ?? [];
    expect([name, status]).toEqual(['plain.bin', 'pending']);
    expect(await waitForStatus(api, key, id!)).toMatchObject({ status: 'ready', sha256: sha256(content) });
  });

  it('makes an upload link that takes one file without a key', async () => {
    const made = await runCli(['upload-link', '--max-size', '1024', '--expires', '10m', '--json'], { env });
    expect(made.code).toBe(0);
    const link = JSON.parse(made.stdout) as { url: string; expiresAt: string };
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'three.bin');
    const uploaded = await fetch(link.url, { method: 'POST', body: form });
    expect(uploaded.status).toBe(201);
    const bad = await runCli(['upload-link', '--expires', 'soon'], { env });
    expect(bad.code).toBe(2);
  });

  it('uploads several files in one run, a result line each', async () => {
    const paths = [file('one.txt', Buffer.from('one')), file('two.txt', Buffer.from('two'))];
    const result = await runCli(['upload', ...paths], { env });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.map((line) => UPLOADED.exec(line)?.[1])).toEqual(['one.txt', 'two.txt']);
  });

  it('draws a moving progress bar in a terminal, then the final line', async () => {
    const content = randomBytes(4 * 1024 * 1024);
    const result = await runCliInTerminal(['upload', '--wait', file('bar.bin', content)], { env });
    expect(result.code).toBe(0);
    const output = result.stdout;
    expect(output).toContain('\u001b[');
    const percents = new Set(
      [...output.matchAll(/bar\.bin \[[█░]+\] (\d+)%/g)].map((match) => Number(match[1])),
    );
    expect(percents.size).toBeGreaterThanOrEqual(5);
    expect(percents).toContain(100);
    expect(output).toMatch(/bar\.bin \[█+\] 100% 4\.0 MiB\/4\.0 MiB .+\/s ETA 0s/);
    // In a terminal the line is drawn above the bar, after cursor moves: match it anywhere.
    const [, id, status] = /uploaded bar\.bin ([0-9a-f-]{36}) (\w+)\r?\n/.exec(output) ?? [];
    expect(status).toBe('ready');

    const target = join(folder, 'bar.copy');
    const download = await runCliInTerminal(['get', id!, '-o', target], { env });
    expect(download.code).toBe(0);
    expect(download.stdout).toMatch(/bar\.copy \[█+\] 100%/);
    expect(download.stdout).toContain(`downloaded ${id} to ${target} 4.0 MiB`);
    expect(sha256(readFileSync(target))).toBe(sha256(content));
  });

  it('lists, shows, downloads (whole and ranged), links and removes, with --json for scripts', async () => {
    const content = Buffer.from('0123456789abcdefghij');
    const uploaded = await runCli(['upload', '--wait', '--json', file('walk.txt', content)], { env });
    expect(uploaded.code).toBe(0);
    const [{ id }] = JSON.parse(uploaded.stdout) as FileJson[];

    const listed = await runCli(['ls', '--json', '--status', 'ready'], { env });
    expect((JSON.parse(listed.stdout) as FileJson[]).map((f) => f.id)).toContain(id);
    const table = await runCli(['ls', '--limit', '1'], { env });
    expect(table.stdout).toMatch(
      new RegExp(`^ID +STATUS +SIZE +CREATED +NAME\\n${id} +ready +20 B .* walk\\.txt\\n$`),
    );

    const info = await runCli(['info', id, '--json'], { env });
    expect(JSON.parse(info.stdout)).toMatchObject({ id, name: 'walk.txt', sha256: sha256(content) });

    const downloads = join(folder, 'downloads');
    mkdirSync(downloads);
    const whole = await runCli(['get', id], { env, cwd: downloads });
    expect(whole.code).toBe(0);
    expect(readFileSync(join(downloads, 'walk.txt'))).toEqual(content);
    const again = await runCli(['get', id], { env, cwd: downloads });
    expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining('pass --force') });

    const ranged = await runCli(['get', id, '--range', '10-14', '-o', '-'], { env });
    expect(ranged).toMatchObject({ code: 0, stdout: 'abcde' });

    const link = await runCli(['link', id, '--expires', '1h', '--json'], { env });
    const { url, expiresAt } = JSON.parse(link.stdout) as { url: string; expiresAt: string };
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(3500_000);
    expect(await (await fetch(url)).text()).toBe(content.toString());

    expect(await runCli(['rm', id], { env })).toMatchObject({ code: 0, stdout: `deleted ${id}\n` });
    const gone = await runCli(['info', id], { env });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^depot: 404 Not Found: .+/);
  });

  it('exits 2 on bad usage and 1 on a failed request, with the problem on stderr', async () => {
    expect((await runCli(['frobnicate'], { env })).code).toBe(2);
    expect((await runCli(['ls', '--limit', 'many'], { env })).code).toBe(2);
    expect((await runCli(['get'], { env })).code).toBe(2);
    expect((await runCli(['upload', join(folder, 'missing.bin')], { env })).code).toBe(2);
    const unset = await runCli(['ls'], { env: { ...env, DEPOT_URL: '' } });
    expect(unset).toMatchObject({ code: 2, stderr: expect.stringContaining('no API URL') });
    expect((await runCli(['--help'], { env })).code).toBe(0);

    const forged = await runCli(['ls'], { env: { ...env, DEPOT_KEY: 'dpk_forged' } });
    expect(forged).toMatchObject({ code: 1, stderr: expect.stringMatching(/^depot: 401 Unauthorized/) });
    const invalid = await runCli(['link', '00000000-0000-4000-8000-000000000000', '--expires', '0'], { env });
    expect(invalid.code).toBe(2);
    const notMine = await runCli(['admin', 'queues'], { env });
    expect(notMine).toMatchObject({ code: 1, stderr: expect.stringMatching(/^depot: 403 Forbidden/) });
  });

  it('runs from the repository as npm run depot', async () => {
    const npm = spawn('npm', ['run', '-s', 'depot', '--', 'ls', '--json', '--limit', '1'], {
      cwd: join(__dirname, '../../..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    npm.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise((resolve) => npm.once('close', resolve));
    expect(code).toBe(0);
    expect(Array.isArray(JSON.parse(stdout))).toBe(true); // the CLI's JSON alone: npm -s adds nothing
  });

  it('saves a profile with mode 600, uses it, and refuses one that others can read', async () => {
    const profileEnv = { ...env, DEPOT_URL: undefined, DEPOT_KEY: undefined };
    const login = await runCli(['login', '--url', api.url], { env: profileEnv, input: `${key}\n` });
    expect(login.code).toBe(0);
    const path = join(folder, 'config/depot/profiles.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ profiles: { default: { url: api.url, key } } });

    expect((await runCli(['ls', '--json'], { env: profileEnv })).code).toBe(0);
    expect(await runCli(['ls', '--profile', 'other'], { env: profileEnv })).toMatchObject({ code: 2 });

    chmodSync(path, 0o644);
    const refused = await runCli(['ls'], { env: profileEnv });
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('chmod 600') });
    chmodSync(path, 0o600);
  });

  it('runs webhook and operator commands', async () => {
    const adminEnv = { ...env, DEPOT_KEY: ADMIN_KEY };
    const tenant = await runCli(['admin', 'tenants', 'create', 'From the CLI', '--json'], { env: adminEnv });
    const { id: tenantId } = JSON.parse(tenant.stdout) as { id: string };
    const tenants = await runCli(['admin', 'tenants', 'ls', '--json'], { env: adminEnv });
    expect((JSON.parse(tenants.stdout) as Array<{ id: string }>).map((t) => t.id)).toContain(tenantId);

    const issued = await runCli(
      ['admin', 'keys', 'create', tenantId, '--name', 'hooks', '--scope', 'webhooks:manage', '--json'],
      { env: adminEnv },
    );
    const { id: keyId, key: hooksKey } = JSON.parse(issued.stdout) as { id: string; key: string };
    const keys = await runCli(['admin', 'keys', 'ls', tenantId, '--json'], { env: adminEnv });
    expect(JSON.parse(keys.stdout)).toEqual([
      expect.objectContaining({ id: keyId, scopes: ['webhooks:manage'] }),
    ]);

    const hooksEnv = { ...env, DEPOT_KEY: hooksKey };
    const created = await runCli(
      ['webhooks', 'create', 'http://127.0.0.1:9/hook', '--event', 'file.ready', '--json'],
      {
        env: hooksEnv,
      },
    );
    const webhook = JSON.parse(created.stdout) as { id: string; secret: string; events: string[] };
    expect(webhook).toMatchObject({ events: ['file.ready'], secret: expect.any(String) });
    const listed = await runCli(['webhooks', 'ls', '--json'], { env: hooksEnv });
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((w) => w.id)).toEqual([webhook.id]);
    const deliveries = await runCli(['webhooks', 'deliveries', webhook.id, '--json'], { env: hooksEnv });
    expect(JSON.parse(deliveries.stdout)).toEqual([]);
    expect((await runCli(['webhooks', 'rm', webhook.id], { env: hooksEnv })).code).toBe(0);
    expect(
      (await runCli(['webhooks', 'create', 'http://127.0.0.1:9/', '--event', 'nope'], { env: hooksEnv }))
        .code,
    ).toBe(2);

    const queues = await runCli(['admin', 'queues', '--json'], { env: adminEnv });
    expect((JSON.parse(queues.stdout) as Array<{ name: string }>).map((q) => q.name).sort()).toEqual([
      'files',
      'maintenance',
      'webhooks',
    ]);
    expect(await runCli(['admin', 'queues', 'retry', 'files'], { env: adminEnv })).toMatchObject({
      code: 0,
      stdout: 'retried 0 failed jobs in files\n',
    });
    const runs = await runCli(['admin', 'scheduler', 'runs', '--task', 'usageReport', '--json'], {
      env: adminEnv,
    });
    expect(Array.isArray(JSON.parse(runs.stdout))).toBe(true);
    expect(await runCli(['admin', 'keys', 'revoke', keyId], { env: adminEnv })).toMatchObject({ code: 0 });
    expect((await runCli(['webhooks', 'ls'], { env: hooksEnv })).code).toBe(1);
  });

  itWithTus('resumes an upload killed halfway when re-run, and the file has the right sha256', async () => {
    expect(await servesTus(api.url, key)).toBe(true);
    const content = randomBytes(48 * 1024 * 1024);
    const path = file('killed.bin', content);

    // Killed (SIGKILL: no cleanup at all) once the plain progress lines pass 30 %.
    const child: ChildProcess = spawn(process.execPath, [CLI_MAIN, 'upload', '--resumable', path], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let progress = '';
    child.stderr?.on('data', (chunk: Buffer) => (progress += chunk.toString()));
    await waitFor('the upload to pass 30 %', 60_000, async () =>
      [...progress.matchAll(/ (\d+)% /g)].some((match) => Number(match[1]) >= 30),
    );
    await stopChild(child, 'SIGKILL', 5_000);

    const rerun = await runCli(['upload', '--resumable', path], { env });
    expect(rerun.code).toBe(0);
    const first = /^killed\.bin (\d+)% /m.exec(rerun.stderr);
    expect(Number(first?.[1])).toBeGreaterThan(0); // resumed, not restarted
    const [, , id] = UPLOADED.exec(rerun.stdout) ?? [];
    const ready = await waitForStatus(api, key, id!, ['ready', 'failed'], 60_000);
    expect(ready).toMatchObject({ status: 'ready', size: content.length, sha256: sha256(content) });
  });
});
