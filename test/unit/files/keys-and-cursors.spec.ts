import { decodeCursor, encodeCursor, InvalidCursorError } from '@depot/database';
import { incomingKey, parseStoredKey, storedKey } from '@depot/files';

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
  it('round-trip the id of the last row, opaquely', () => {
    const cursor = encodeCursor(FILE);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(FILE);
    expect(decodeCursor(cursor)).toBe(FILE);
  });

  it.each([
    '',
    'not a cursor',
    Buffer.from(FILE).toString('base64url'),
    Buffer.from(`v2:${FILE}`).toString('base64url'),
    Buffer.from('v1:not-a-uuid').toString('base64url'),
    Buffer.from(`v1:${FILE}:x`).toString('base64url'),
    'A'.repeat(500),
  ])('refuse %p', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
