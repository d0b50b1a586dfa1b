import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCHMARKS } from '../../bench/support/registry';
import { TABLE_HEADER } from '../../bench/support/table';

const ROOT = join(__dirname, '../..');

interface JsonRow {
  bench: string;
  figure: string;
  depot?: { value: number; unit: string };
  baseline?: { value: number; unit: string };
  note?: string;
  computedRatio?: number;
}

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'bench/run.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.cli.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `npm run bench -- --quick` end to end: every benchmark runs at a small size and the table
 * is complete. Only its shape is checked, never the numbers: timings do not belong in tests.
 */
describe('npm run bench -- --quick', () => {
  const out = mkdtempSync(join(tmpdir(), 'depot-bench-quick-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('prints one table with every figure measured beside its baseline', async () => {
    for (const app of ['api', 'worker', 'scheduler']) {
      if (!existsSync(join(ROOT, 'dist/apps', app, 'main.js'))) throw new Error('run `npm run build` first');
    }
    const json = join(out, 'rows.json');
    const { code, stdout, stderr } = await runBench(['--quick', '--json', json]);
    if (code !== 0) throw new Error(`bench exited ${code}:\n${stderr.slice(-8000)}`);

    const lines = stdout.split('\n').filter((line) => line.startsWith('|'));
    expect(lines[0]).toBe(`| ${TABLE_HEADER.join(' | ')} |`);
    const body = lines.slice(2);
    for (const line of body) expect(line.split(/(?<!\\)\|/).length - 2).toBe(TABLE_HEADER.length);

    const { quick, rows } = JSON.parse(readFileSync(json, 'utf8')) as { quick: boolean; rows: JsonRow[] };
    expect(quick).toBe(true);
    expect(body).toHaveLength(rows.length);
    for (const entry of BENCHMARKS) {
      const own = rows.filter((row) => row.bench === entry.name);
      expect({ bench: entry.name, rows: own.length > 0 }).toEqual({ bench: entry.name, rows: true });
      for (const row of own) {
        // A benchmark for full runs only, or a side that needs a Redis where none answers, is
        // listed, not silently dropped.
        if (row.note?.startsWith('not run (')) continue;
        const measured = {
          figure: row.figure,
          depot: Number.isFinite(row.depot?.value) && Boolean(row.depot?.unit),
          baseline: Number.isFinite(row.baseline?.value) && Boolean(row.baseline?.unit),
          ratio: Number.isFinite(row.computedRatio),
        };
        expect(measured).toEqual({ figure: row.figure, depot: true, baseline: true, ratio: true });
      }
    }
    // Every benchmark at its small size, one after another: minutes, more on a loaded machine.
  }, 600_000);
});
