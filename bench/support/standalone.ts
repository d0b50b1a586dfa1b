import type { BenchOptions, BenchRow } from './bench-row';
import { reportResult } from './processes';
import { formatTable } from './table';

/** Options for a bench file run on its own (`npm run bench:<name>`): full sizes, progress on stderr. */
export const STANDALONE_OPTIONS: BenchOptions = {
  quick: false,
  log: (line) => void process.stderr.write(`${line}\n`),
};

/** Prints a standalone run's table (and its rows, for a parent process); exit code 1 on failure. */
export function printStandalone(rows: Promise<readonly BenchRow[]>): void {
  rows.then(
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
