/**
 * `npm run bench`: runs every benchmark and prints one markdown table, each figure of Depot
 * beside the same work done with the bare libraries in the same run. The npm script builds
 * the apps first when the sources changed since its last build (`npm run build:if-changed`).
 *
 *   npm run bench                      full sizes, several rounds, medians
 *   npm run bench -- --quick           small sizes, one round (what the test runs)
 *   npm run bench -- --only queue      one benchmark (repeat or comma-separate for more)
 *   npm run bench -- --json out.json   also write the rows as JSON
 *   npm run bench -- --list            the benchmarks and their figures
 *   npm run bench -- --cpu-prof        every child process writes a CPU profile under
 *                                      bench/.out/profiles/<time>/ (summarise them with
 *                                      bench/support/cpu-profile.ts)
 *
 * The table goes to stdout, progress to stderr. A benchmark that fails is listed as failed
 * and the exit code is 1. A missed target is a finding, not a failure: it is marked in the table.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Bench, type BenchRow, ratioOf, targetMet } from './support/bench-row';
import { describeMachine } from './support/machine';
import { OUT_DIR } from './support/compile';
import { ROOT } from '../test/support/app-launch';
import { endRun, interrupted } from './support/processes';
import { BENCHMARKS, type BenchEntry } from './support/registry';
import { formatTable } from './support/table';
import { cpuWithEndedChildrenMs, nowMs } from './support/timing';

interface Args {
  quick: boolean;
  only: string[];
  json?: string;
  list: boolean;
  cpuProf: boolean;
}

function readArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true, default: [] },
      json: { type: 'string' },
      list: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
    },
  });
  const only = values.only.flatMap((names) => names.split(','));
  const known = new Set(BENCHMARKS.map((entry) => entry.name));
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  return { quick: values.quick, only, json: values.json, list: values.list, cpuProf: values['cpu-prof'] };
}

/** The benchmark function a module exports, named after its entry (`api-get` → `apiGetBench`). */
function benchFunction(entry: BenchEntry): Bench {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when it runs
  const exported = require(join(ROOT, entry.file)) as Record<string, unknown>;
  const named = `${entry.name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())}Bench`;
  const bench = exported[named];
  if (typeof bench !== 'function') throw new Error(`${entry.file} exports no function ${named} (a Bench)`);
  return bench as Bench;
}

interface RunRow extends BenchRow {
  /** The benchmark (registry name) the row came from. */
  bench: string;
}

async function runEntry(entry: BenchEntry, quick: boolean, log: (line: string) => void): Promise<RunRow[]> {
  if (quick && entry.fullRunsOnly) {
    log(`${entry.name}: not run in a quick run (${entry.fullRunsOnly})`);
    return entry.figures.map((figure) => ({
      bench: entry.name,
      figure,
      note: `not run (quick run: ${entry.fullRunsOnly})`,
    }));
  }
  const started = nowMs();
  const cpuBefore = cpuWithEndedChildrenMs();
  const rows = await benchFunction(entry)({ quick, log: (line) => log(line) });
  if (rows.length === 0) throw new Error(`${entry.file} returned no rows`);
  // CPU of the bench and of the children it ended (a process shared by several, like the quick
  // runs' api, counts when the run ends it).
  const cpuMs = cpuWithEndedChildrenMs() - cpuBefore;
  log(
    `${entry.name}: done in ${((nowMs() - started) / 1000).toFixed(1)} s, ${(cpuMs / 1000).toFixed(1)} s of CPU`,
  );
  return rows.map((row) => {
    const figure = /^\([a-z]\) /.test(row.figure) ? row.figure : `${entry.tag} ${row.figure}`;
    return { ...row, figure, bench: entry.name };
  });
}

async function main(): Promise<number> {
  const args = readArgs(process.argv.slice(2));
  if (args.list) {
    for (const entry of BENCHMARKS) {
      console.log(`${entry.name.padEnd(12)} ${entry.file}`);
      for (const figure of entry.figures) console.log(`${' '.repeat(13)}${figure}`);
    }
    return 0;
  }

  if (args.cpuProf) {
    process.env.BENCH_CPU_PROF = join(OUT_DIR, 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  }
  const started = nowMs();
  const cpuAtStart = cpuWithEndedChildrenMs();
  const log = (line: string): void => {
    process.stderr.write(`[bench ${((nowMs() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
  };
  const entries = args.only.length > 0 ? BENCHMARKS.filter((e) => args.only.includes(e.name)) : BENCHMARKS;
  const machine = await describeMachine();
  log(`${args.quick ? 'quick' : 'full'} run of ${entries.map((e) => e.name).join(', ')} on ${machine}`);

  const rows: RunRow[] = [];
  let failed = 0;
  for (const entry of entries) {
    log(`${entry.name}: starting`);
    try {
      rows.push(...(await runEntry(entry, args.quick, log)));
    } catch (error) {
      failed++;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`${entry.name}: FAILED: ${message}`);
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 160);
      rows.push(...entry.figures.map((figure) => ({ bench: entry.name, figure, note: `failed: ${reason}` })));
    }
  }
  await endRun().catch((error: unknown) => log(`could not undo the run's setup: ${String(error)}`));
  const seconds = (nowMs() - started) / 1000;
  const cpuSeconds = (cpuWithEndedChildrenMs() - cpuAtStart) / 1000;

  console.log(`Depot benchmarks, ${args.quick ? 'quick' : 'full'} run — ${machine}\n`);
  console.log(formatTable(rows));
  console.log(
    `\nRatio = Depot ÷ raw baseline (rates: higher is better; times and memory: lower is better). ` +
      `${args.quick ? 'Quick run: small sizes, one sample each' : 'Each figure is the median of several samples'}; ` +
      `${seconds.toFixed(1)} s in all.`,
  );
  if (args.json) {
    const json = rows.map((row) => ({ ...row, computedRatio: ratioOf(row), computedMet: targetMet(row) }));
    writeFileSync(
      args.json,
      `${JSON.stringify({ quick: args.quick, machine, seconds, rows: json }, null, 2)}\n`,
    );
  }
  if (args.cpuProf) {
    log(
      `CPU profiles in ${process.env.BENCH_CPU_PROF}; summarise: SWC_NODE_PROJECT=tsconfig.cli.json ` +
        `node -r @swc-node/register bench/support/cpu-profile.ts ${process.env.BENCH_CPU_PROF}`,
    );
  }
  log(
    `finished in ${seconds.toFixed(1)} s, ${cpuSeconds.toFixed(1)} s of CPU in this process and its children` +
      `${failed > 0 ? `; ${failed} benchmark(s) failed` : ''}`,
  );
  return failed > 0 ? 1 : 0;
}

main().then(
  async (code) => {
    await interrupted(); // an interrupted run exits once its cleanups are done
    process.exit(code);
  },
  async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await interrupted();
    process.exit(2);
  },
);
