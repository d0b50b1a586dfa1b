import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const GENERATOR = join(ROOT, 'packages/client/scripts/generate-types.mjs');

function check(spec?: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [GENERATOR, '--check', ...(spec ? ['--spec', spec] : [])], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** @depot/client's types are generated from openapi.json; a stale copy fails here. */
describe('the generated client types', () => {
  it('match the committed openapi.json', () => {
    const { status, output } = check();
    expect(output).toContain('is up to date');
    expect(status).toBe(0);
  });

  it('are reported stale when the document changes', () => {
    const folder = mkdtempSync(join(tmpdir(), 'depot-openapi-'));
    try {
      const document = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8')) as {
        paths: Record<string, unknown>;
      };
      document.paths['/v1/usage'] = {
        get: { operationId: 'usage', responses: { 200: { description: 'ok' } } },
      };
      const changed = join(folder, 'openapi.json');
      writeFileSync(changed, JSON.stringify(document));
      const { status, output } = check(changed);
      expect(output).toContain('is stale');
      expect(status).toBe(1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
