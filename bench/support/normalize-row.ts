import type { BenchRow, Measure, Target } from './bench-row';

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;
const pick = (raw: Loose, ...keys: string[]): unknown =>
  keys.map((key) => raw[key]).find((v) => v !== undefined);

function measure(value: unknown, unit: unknown): Measure | undefined {
  if (typeof value === 'number' && Number.isFinite(value))
    return { value, unit: typeof unit === 'string' ? unit : '' };
  if (isObject(value) && typeof value.value === 'number') {
    return { value: value.value, unit: typeof value.unit === 'string' ? value.unit : String(unit ?? '') };
  }
  if (typeof value === 'string') {
    const match = /^\s*([-\d.,]+)\s*(.*)$/.exec(value);
    const number = match ? Number(match[1]!.replace(/,/g, '')) : NaN;
    if (Number.isFinite(number)) return { value: number, unit: match![2] || String(unit ?? '') };
  }
  return undefined;
}

function target(value: unknown): Target | undefined {
  if (isObject(value) && typeof value.kind === 'string') return value as unknown as Target;
  if (typeof value === 'number') return { kind: 'ratio-min', min: value };
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ratioMin = /^(?:ratio\s*)?(?:>=|≥)\s*([\d.]+)$/.exec(value.trim());
  if (ratioMin) return { kind: 'ratio-min', min: Number(ratioMin[1]) };
  return { kind: 'text', text: value };
}

/**
 * A row as `bench/run.ts` needs it, from what a benchmark returned: a {@link BenchRow}
 * passes through; other shapes are read leniently (`name`/`label` for the figure,
 * `value`/`raw`/`rawBaseline` for the two sides, a shared `unit`, a target written as text),
 * so that a benchmark written before this type existed still fills the table.
 */
export function normalizeRow(raw: unknown): BenchRow {
  if (!isObject(raw)) return { figure: String(raw), note: 'unreadable row' };
  const unit = pick(raw, 'unit', 'units');
  const row: BenchRow = {
    figure: String(pick(raw, 'figure', 'name', 'label', 'metric', 'title') ?? 'unnamed figure'),
    depot: measure(pick(raw, 'depot', 'value', 'depotValue', 'actual'), pick(raw, 'depotUnit') ?? unit),
    baseline: measure(
      pick(raw, 'baseline', 'raw', 'rawBaseline', 'rawValue', 'baselineValue'),
      pick(raw, 'baselineUnit', 'rawUnit') ?? unit,
    ),
    target: target(pick(raw, 'target')),
  };
  const ratio = pick(raw, 'ratio');
  if (typeof ratio === 'number' && Number.isFinite(ratio)) row.ratio = ratio;
  const met = pick(raw, 'met', 'ok', 'pass', 'passed');
  if (typeof met === 'boolean') row.met = met;
  const note = pick(raw, 'note', 'notes', 'comment');
  if (typeof note === 'string' && note) row.note = note;
  return row;
}
