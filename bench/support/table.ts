import { type BenchRow, describeTarget, type Measure, ratioOf, targetMet } from './bench-row';

export const TABLE_HEADER = ['figure', 'Depot', 'raw baseline', 'ratio', 'target', 'met?'] as const;

/** A number with as many digits as it deserves: 12,345 / 123 / 12.3 / 1.23 / 0.123. */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function formatMeasure(measure: Measure | undefined): string {
  return measure ? `${formatNumber(measure.value)} ${measure.unit}` : '—';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The cells of one row, in {@link TABLE_HEADER} order. */
function rowCells(row: BenchRow): string[] {
  const ratio = ratioOf(row);
  const met = targetMet(row);
  const depot = row.depot ? formatMeasure(row.depot) : (row.note ?? '—');
  return [
    row.figure,
    depot,
    formatMeasure(row.baseline),
    ratio === undefined ? '—' : ratio.toFixed(2),
    describeTarget(row.target),
    met === undefined ? '—' : met ? 'yes' : '**no**',
  ];
}

/** The rows as one markdown table; notes on measured rows follow as numbered footnotes. */
export function formatTable(rows: readonly BenchRow[]): string {
  const lines = [`| ${TABLE_HEADER.join(' | ')} |`, '| --- | ---: | ---: | ---: | --- | --- |'];
  const notes: string[] = [];
  for (const row of rows) {
    const cells = rowCells(row);
    if (row.depot && row.note) {
      notes.push(row.note);
      cells[0] = `${cells[0]} [${notes.length}]`;
    }
    lines.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  if (notes.length > 0) {
    lines.push('');
    notes.forEach((note, index) => lines.push(`- [${index + 1}] ${note}`));
  }
  return lines.join('\n');
}
