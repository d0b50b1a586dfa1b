/** What a `Range` request header asks of a representation of `size` bytes (RFC 9110 §14). */
export type RangeRequest =
  /** No range, or one this server ignores (malformed, several ranges, another unit): send it all. */
  | { kind: 'whole' }
  /** Send bytes `start` to `end`, inclusive: 206. */
  | { kind: 'partial'; start: number; end: number }
  /** The range starts past the end: 416. */
  | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=[ \t]*(\d*)-(\d*)[ \t]*$/i;

/**
 * Interprets a `Range` header for a representation of `size` bytes. A server may ignore a
 * Range it does not support (§14.2), so anything but one well-formed byte range is
 * answered with the whole content rather than an error.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  const match = header === undefined ? null : SINGLE_RANGE.exec(header);
  if (!match) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  const firstByte = first === '' ? undefined : Number(first);
  const lastByte = last === '' ? undefined : Number(last);
  if (![firstByte, lastByte].every((n) => n === undefined || Number.isSafeInteger(n)))
    return { kind: 'whole' };

  if (firstByte === undefined) {
    // `bytes=-N`: the last N bytes.
    const suffix = lastByte!;
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(size - suffix, 0), end: size - 1 };
  }
  if (lastByte !== undefined && lastByte < firstByte) return { kind: 'whole' };
  if (firstByte >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start: firstByte, end: Math.min(lastByte ?? size - 1, size - 1) };
}
