import {
  DriverDisk,
  InvalidMetadataError,
  InvalidPathError,
  InvalidRangeError,
  MAX_KEY_BYTES,
  MemoryDriver,
  normalizeKey,
  normalizePrefix,
  type WriteOptions,
} from '@depot/storage';

describe('normalizeKey', () => {
  it.each([
    ['a/b/c.txt', 'a/b/c.txt'],
    ['a//b///c.txt', 'a/b/c.txt'],
    ['./a/./b', 'a/b'],
    ['a/b/', 'a/b'],
    ['with space/[x] {y} (z).txt', 'with space/[x] {y} (z).txt'],
    ['unicode/日本語/ü.txt', 'unicode/日本語/ü.txt'],
    ['...', '...'],
    ['a/..b/c..', 'a/..b/c..'],
    ['Case/Sensitive', 'Case/Sensitive'],
  ])('normalises %j to %j', (key, expected) => {
    expect(normalizeKey(key, 'write')).toBe(expected);
  });

  it.each([
    ['..', 'it contains a ".." segment'],
    ['../a', 'it contains a ".." segment'],
    ['a/../b', 'it contains a ".." segment'],
    ['a/..', 'it contains a ".." segment'],
    ['/etc/passwd', 'it is absolute'],
    ['C:/Windows', 'it is absolute'],
    ['a\\b', 'it contains a backslash'],
    ['..\\a', 'it contains a backslash'],
    ['a\u0000b', 'it contains NUL'],
    ['a\nb', 'it contains a control character'],
    ['a\u001bb', 'it contains a control character'],
    ['a\u007fb', 'it contains a control character'],
    ['a\u0085b', 'it contains a control character'],
    ['a\ud800b', 'it is not well-formed Unicode'],
    ['', 'it is empty'],
    ['./', 'it is empty'],
    ['//', 'it is absolute'],
    ['x'.repeat(MAX_KEY_BYTES + 1), `it is longer than ${MAX_KEY_BYTES} bytes`],
    ['é'.repeat(MAX_KEY_BYTES / 2 + 1), `it is longer than ${MAX_KEY_BYTES} bytes`],
  ])('refuses %j: %s', (key, reason) => {
    expect(() => normalizeKey(key, 'read')).toThrow(InvalidPathError);
    expect(() => normalizeKey(key, 'read')).toThrow(expect.objectContaining({ reason, operation: 'read' }));
  });

  it('refuses what is not a string, for callers without types', () => {
    expect(() => normalizeKey(42 as unknown as string, 'stat')).toThrow(InvalidPathError);
  });

  it('names the operation and shows the key escaped in the message', () => {
    expect(() => normalizeKey('a\u0000b', 'write')).toThrow(
      'storage write "a\\u0000b" failed: invalid key: it contains NUL',
    );
  });
});

describe('normalizePrefix', () => {
  it.each([
    ['', ''],
    ['.', ''],
    ['a', 'a/'],
    ['a/b/', 'a/b/'],
    ['a//b', 'a/b/'],
  ])('normalises %j to %j', (prefix, expected) => {
    expect(normalizePrefix(prefix, 'listPage')).toBe(expected);
  });

  it.each(['..', 'a/../..', '/a', 'a\\b', 'a\u0000'])('refuses %j', (prefix) => {
    expect(() => normalizePrefix(prefix, 'removePrefix')).toThrow(InvalidPathError);
  });
});

describe('write options', () => {
  const disk = new DriverDisk('memory', new MemoryDriver());

  it('default the content type and lowercase metadata names', async () => {
    await disk.write('k', 'x', { metadata: { 'Original-Name': 'a.txt', sha_256: 'x' } });
    expect(await disk.stat('k')).toMatchObject({
      contentType: 'application/octet-stream',
      metadata: { 'original-name': 'a.txt', sha_256: 'x' },
    });
  });

  it.each<WriteOptions>([
    { contentType: 'text/plain\r\nX-Injected: 1' },
    { contentType: '' },
    { metadata: { 'bad name': 'x' } },
    { metadata: { name: 'non-ascii é' } },
    { metadata: { name: 'line\nbreak' } },
    { metadata: { big: 'x'.repeat(2048) } },
  ])('refuse %j before writing', async (options) => {
    await expect(disk.write('refused', 'x', options)).rejects.toBeInstanceOf(InvalidMetadataError);
    expect(await disk.exists('refused')).toBe(false);
  });
});

describe('byte ranges', () => {
  const disk = new DriverDisk('memory', new MemoryDriver());

  beforeAll(async () => {
    await disk.write('ten', '0123456789');
  });

  it.each([
    [{ start: 0, end: 0 }, '0'],
    [{ start: 5 }, '56789'],
    [{ start: 8, end: 5_000_000_000 }, '89'],
  ])('accept %j', async (range, expected) => {
    const stream = await disk.readStream('ten', { range });
    expect(Buffer.concat(await stream.toArray()).toString()).toBe(expected);
  });

  it.each([
    { start: -1 },
    { start: 5, end: 4 },
    { start: 1.5 },
    { start: Number.NaN },
    { start: 0, end: Infinity },
  ])('refuse malformed %j, even for a missing key', async (range) => {
    await expect(disk.readStream('missing', { range })).rejects.toBeInstanceOf(InvalidRangeError);
  });

  it('refuse a start past the end, with the size for Content-Range', async () => {
    await expect(disk.readStream('ten', { range: { start: 10 } })).rejects.toMatchObject({
      name: 'InvalidRangeError',
      size: 10,
    });
  });
});
