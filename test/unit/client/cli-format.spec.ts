import { formatBytes, formatDuration, parseDuration, table } from '../../../packages/cli/src/format';

describe('depot CLI formatting', () => {
  it('shows sizes in binary units', () => {
    expect([0, 1023, 1024, 1536, 5 * 1024 ** 3].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.0 KiB',
      '1.5 KiB',
      '5.0 GiB',
    ]);
  });

  it('shows durations compactly', () => {
    expect([0, 59.6, 61, 3723, Infinity].map(formatDuration)).toEqual(['0s', '1m0s', '1m1s', '1h2m3s', '?']);
  });

  it('parses --expires durations and refuses anything else', () => {
    expect(['90', '90s', '15m', '1h', '7d'].map(parseDuration)).toEqual([90, 90, 900, 3600, 604800]);
    expect(['', '1w', '-1h', '1.5h', 'h'].map(parseDuration)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('pads table columns to the widest cell', () => {
    expect(
      table(
        ['ID', 'NAME'],
        [
          ['a', 'x'],
          ['long-id', 'y'],
        ],
      ),
    ).toBe('ID       NAME\na        x\nlong-id  y\n');
  });
});
