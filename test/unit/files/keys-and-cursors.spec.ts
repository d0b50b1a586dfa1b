import { InvalidCursorError, KeysetCursors } from '@depot/database';
import { incomingKey, storedKey } from '@depot/files';
import { parseStoredKey } from '../../../libs/files/src/file.keys';

const TENANT = '0b7e2c1e-6f1a-4c51-9a3e-2f4c1d2b3a4f';
const FILE = 'c56a4180-65aa-42ec-a945-5fd21dec0538';

describe('file keys', () => {
  it('place uploads under incoming/ and checked files under files/', () => {
    expect(incomingKey(TENANT, FILE)).toBe(`tenants/${TENANT}/incoming/${FILE}`);
    expect(storedKey(TENANT, FILE)).toBe(`tenants/${TENANT}/files/${FILE}`);
  });

  it('parse back only a stored key', () => {
    expect(parseStoredKey(storedKey(TENANT, FILE))).toEqual({ tenantId: TENANT, fileId: FILE });
    expect(parseStoredKey(incomingKey(TENANT, FILE))).toBeUndefined();
    expect(parseStoredKey(`reports/usage/2026-01-01.csv`)).toBeUndefined();
    expect(parseStoredKey(`${storedKey(TENANT, FILE)}/x`)).toBeUndefined();
  });
});

describe('list cursors', () => {
  const cursors = new KeysetCursors(['cursor-test-secret-0123456789abcdef0123']);
  const files = { list: 'files', tenantId: TENANT };

  it('round-trip the id of the last row, opaquely', () => {
    const cursor = cursors.encode(FILE, files);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(FILE);
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain(FILE);
    expect(cursors.decode(cursor, files)).toBe(FILE);
  });

  it('refuse a cursor made for another tenant or another list', () => {
    const cursor = cursors.encode(FILE, files);
    const other = '3d4c2b1a-0f9e-4d8c-8b7a-6f5e4d3c2b1a';
    expect(() => cursors.decode(cursor, { list: 'files', tenantId: other })).toThrow(InvalidCursorError);
    expect(() => cursors.decode(cursor, { list: 'webhook_deliveries', tenantId: TENANT })).toThrow(
      InvalidCursorError,
    );
    expect(() => cursors.decode(cursor, { list: 'files' })).toThrow(InvalidCursorError);
  });

  it('refuse a cursor signed with another secret, and accept one signed with a previous secret', () => {
    const rotated = new KeysetCursors([
      'new-cursor-secret-0123456789abcdef01234',
      'cursor-test-secret-0123456789abcdef0123',
    ]);
    expect(rotated.decode(cursors.encode(FILE, files), files)).toBe(FILE);
    const stranger = new KeysetCursors(['someone-elses-secret-0123456789abcdef0123']);
    expect(() => stranger.decode(cursors.encode(FILE, files), files)).toThrow(InvalidCursorError);
  });

  it('refuse a cursor with any byte changed', () => {
    const cursor = cursors.encode(FILE, files);
    const bytes = Buffer.from(cursor.slice(1), 'base64url');
    for (const index of [0, 15, 16, 31]) {
      const altered = Buffer.from(bytes);
      altered[index] ^= 1;
      expect(() => cursors.decode(`c${altered.toString('base64url')}`, files)).toThrow(InvalidCursorError);
    }
  });

  it.each([
    '',
    'not a cursor',
    Buffer.from(FILE).toString('base64url'),
    Buffer.from(`v1:${FILE}`).toString('base64url'),
    `c${'A'.repeat(43)}`,
    'A'.repeat(500),
  ])('refuse %p', (cursor) => {
    expect(() => cursors.decode(cursor, files)).toThrow(InvalidCursorError);
  });
});
