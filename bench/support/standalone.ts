import { parseArgs } from 'node:util';
import type { BenchOptions, BenchRow } from './bench-row';
import { endRun, reportResult } from './processes';
import { formatTable } from './table';
import { GiB, MiB } from './timing';

/** Options for a bench file run on its own (`npm run bench:<name>`): full sizes, progress on stderr. */
export const STANDALONE_OPTIONS: BenchOptions = {
  quick: false,
  log: (line) => void process.stderr.write(`${line}\n`),
};

/**
 * The settings of a bench file run on its own: its full ones, or its quick ones with
 * `--quick`; each `--<flag> <value>` in `flags` then changes the settings as its function says.
 */
export function standaloneSettings<T extends object>(
  quick: T,
  full: T,
  flags: Record<string, (settings: T, value: string) => void> = {},
  argv: string[] = process.argv.slice(2),
): T {
  const { values } = parseArgs({
    strict: true,
    args: argv,
    options: {
      quick: { type: 'boolean' },
      ...Object.fromEntries(Object.keys(flags).map((flag) => [flag, { type: 'string' as const }])),
    },
  });
  const settings = { ...(values.quick ? quick : full) };
  for (const [flag, apply] of Object.entries(flags)) {
    const value = (values as Record<string, string | boolean | undefined>)[flag];
    if (typeof value === 'string') apply(settings, value);
  }
  return settings;
}

/** `1073741824`, `1GiB`, `512MiB`, `64k`. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg])?(?:i?b)?$/i.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text}`);
  const units: Record<string, number> = { k: 1024, m: MiB, g: GiB };
  return Math.round(Number(match[1]) * (units[(match[2] ?? '').toLowerCase()] ?? 1));
}

/** Prints a standalone run's table (and its rows, for a parent process); exit code 1 on failure. */
export function printStandalone(rows: Promise<readonly BenchRow[]>): void {
  const done = rows.finally(() => endRun());
  done.then(
    (result) => {
      process.stdout.write(`${formatTable(result)}\n`);
      reportResult(result);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
