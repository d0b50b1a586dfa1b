import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess } from '../../support/app-process';
import { createTenant } from '../../support/depot-api';
import { runCli } from '../../support/depot-client';

/** The built `depot` CLI's buckets, usage and upload flags against the built api. */
describe('depot buckets, usage, --bucket and --metadata', () => {
  let api: AppProcess;
  let env: Record<string, string>;
  let folder: string;

  beforeAll(async () => {
    api = await AppProcess.startReady('api');
    const { apiKey } = await createTenant(api, 'CLI buckets');
    env = {
      DEPOT_URL: api.url,
      DEPOT_KEY: apiKey.key,
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'depot-cli-')),
    };
    folder = mkdtempSync(join(tmpdir(), 'depot-cli-files-'));
  });
  afterAll(async () => {
    await api?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('creates a bucket, uploads into it with metadata, lists by bucket and prefix, shows usage, removes it', async () => {
    const created = await runCli(['buckets', 'create', 'notes', '--type', 'text/*', '--max-size', '1000'], {
      env,
    });
    expect([created.code, created.stdout]).toEqual([0, 'created bucket notes\n']);

    const path = join(folder, 'a.txt');
    writeFileSync(path, 'hello');
    const uploaded = await runCli(
      [
        'upload',
        path,
        '--bucket',
        'notes',
        '--name',
        'a.txt',
        '--type',
        'text/plain',
        '--metadata',
        'k=v=w',
        '--json',
      ],
      { env },
    );
    expect(uploaded.code).toBe(0);
    expect(JSON.parse(uploaded.stdout)).toMatchObject([{ bucket: 'notes', metadata: { k: 'v=w' } }]);

    const refused = await runCli(['upload', path, '--bucket', 'notes', '--type', 'image/png'], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('415');
    expect((await runCli(['upload', path, '--metadata', 'novalue'], { env })).code).not.toBe(0);

    const listed = await runCli(['ls', '--bucket', 'notes', '--prefix', 'a', '-q', 'TXT', '--json'], { env });
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
    const usage = await runCli(['usage', '--json'], { env });
    expect(JSON.parse(usage.stdout)).toMatchObject({ files: 1, bytes: 5 });
    const table = await runCli(['buckets', 'ls'], { env });
    expect(table.stdout).toMatch(/notes\s+1\s+5\s+no\s+text\/\*\s+1000/);

    expect((await runCli(['buckets', 'rm', 'notes'], { env })).code).not.toBe(0);
    expect((await runCli(['buckets', 'rm', 'notes', '--force'], { env })).stdout).toBe(
      'deleted bucket notes\n',
    );
  });
});
