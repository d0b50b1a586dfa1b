import { InvalidArgumentError } from 'commander';
import { parseDuration } from './format.js';

export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return value;
}

export function duration(text: string): number {
  const seconds = parseDuration(text);
  if (!seconds) throw new InvalidArgumentError('expected a duration such as 90s, 15m, 1h or 7d');
  return seconds;
}

export function isoDate(text: string): string {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new InvalidArgumentError('expected a date such as 2027-01-31T00:00:00Z');
  return new Date(time).toISOString();
}

/** `0-99`, `100-` (to the end). */
export function byteRange(text: string): { start: number; end?: number } {
  const match = /^(\d+)-(\d*)$/.exec(text);
  const start = Number(match?.[1]);
  const end = match?.[2] ? Number(match[2]) : undefined;
  if (!match || (end !== undefined && end < start))
    throw new InvalidArgumentError('expected START-END or START-');
  return { start, end };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
