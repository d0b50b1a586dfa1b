/**
 * What every benchmark hands back to `bench/run.ts`: rows of one table, each a figure
 * measured on Depot beside the same work done with the bare libraries, in the same run.
 *
 * A benchmark module exports one function of type {@link Bench}. Ratios are always
 * Depot ÷ raw baseline, whatever the unit: for a rate (req/s, MB/s) higher is better, for
 * a time or a memory figure lower is better; the target says which way it must go.
 */

export interface Measure {
  value: number;
  /** `req/s`, `MB/s`, `ms`, `MB`, `files/s`, `jobs/s`... */
  unit: string;
}

export type Target =
  /** Depot ÷ baseline must be at least `min` (rates). */
  | { kind: 'ratio-min'; min: number }
  /** Depot ÷ baseline must be at most `max` (times, latencies). */
  | { kind: 'ratio-max'; max: number }
  /** The Depot figure itself must stay below `max` (e.g. peak RSS under 150 MB). */
  | { kind: 'depot-max'; max: number; unit: string }
  /** A target in words, when none of the above fits; the row's `met` says whether it is met. */
  | { kind: 'text'; text: string }
  /** Reported for the record; nothing to meet. */
  | { kind: 'none' };

export interface BenchRow {
  figure: string;
  depot?: Measure;
  baseline?: Measure;
  /** Depot ÷ baseline; computed from the two measures when left out and their units agree. */
  ratio?: number;
  target?: Target;
  /** Whether the target is met, when the benchmark decides it itself; computed otherwise. */
  met?: boolean;
  /** Why a figure has no number, or how it was measured when that is not obvious. */
  note?: string;
}

export interface BenchOptions {
  /** Small sizes and one repetition: for the test that checks the table is complete. */
  quick: boolean;
  /** Progress lines (to stderr, so that stdout carries only the table). */
  log: (line: string) => void;
}

export type Bench = (options: BenchOptions) => Promise<BenchRow[]>;

/** Depot ÷ baseline, when both exist, share a unit and the baseline is not zero. */
export function ratioOf(row: BenchRow): number | undefined {
  if (row.ratio !== undefined) return row.ratio;
  if (!row.depot || !row.baseline || row.depot.unit !== row.baseline.unit) return undefined;
  if (row.baseline.value === 0) return undefined;
  return row.depot.value / row.baseline.value;
}

/** Whether the row meets its target: undefined when there is nothing to meet or no number. */
export function targetMet(row: BenchRow): boolean | undefined {
  if (row.met !== undefined) return row.met;
  const target = row.target ?? { kind: 'none' };
  const ratio = ratioOf(row);
  switch (target.kind) {
    case 'ratio-min':
      return ratio === undefined ? undefined : ratio >= target.min;
    case 'ratio-max':
      return ratio === undefined ? undefined : ratio <= target.max;
    case 'depot-max':
      return row.depot === undefined ? undefined : row.depot.value < target.max;
    case 'text':
    case 'none':
      return undefined;
  }
}

export function describeTarget(target: Target | undefined): string {
  switch (target?.kind) {
    case 'ratio-min':
      return `ratio ≥ ${target.min}`;
    case 'ratio-max':
      return `ratio ≤ ${target.max}`;
    case 'depot-max':
      return `< ${target.max} ${target.unit}`;
    case 'text':
      return target.text;
    default:
      return '—';
  }
}
