import { createHmac, createSecretKey, hkdfSync, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** One page of a list, newest first, and the cursor that continues it (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** A cursor this api did not hand out (or one that was altered). */
export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this api returned');
    this.name = 'InvalidCursorError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CURSOR = /^c[A-Za-z0-9_-]{43}$/;
const MAC_BYTES = 16;

/** What a cursor is bound to: the list it came from and, for tenant data, the tenant. */
export interface CursorScope {
  /** The table listed (a files cursor is no cursor for deliveries). */
  list: string;
  /** The tenant whose rows are listed; a cursor made for one tenant is refused for another. */
  tenantId?: string;
}

/**
 * Cursors that name the last row of a page: opaque, and tamper-evident. A cursor is `c` and
 * the base64url of the row id's 16 bytes followed by an HMAC-SHA256 (truncated to 16 bytes)
 * over the id, the list and the tenant. A cursor altered, forged from a guessed id, or made
 * for another list or tenant is an {@link InvalidCursorError} (a 400), never a probe into
 * rows the caller cannot see.
 *
 * The HMAC key is derived (HKDF) from the signing secret, so there is no secret to add;
 * cursors signed with a secret rotated into `previous` keep working until it is dropped.
 */
export class KeysetCursors {
  /** As KeyObjects: an HMAC then takes the key as it is, not copied in again on every cursor. */
  private readonly keys: KeyObject[];

  /** `secrets[0]` signs; every one verifies. */
  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('KeysetCursors needs at least one secret');
    this.keys = secrets.map((secret) =>
      createSecretKey(Buffer.from(hkdfSync('sha256', secret, 'depot', 'keyset-cursor/v1', 32))),
    );
  }

  encode(lastId: string, scope: CursorScope): string {
    const id = Buffer.from(lastId.replace(/-/g, ''), 'hex');
    return `c${Buffer.concat([id, this.mac(this.keys[0]!, id, scope)]).toString('base64url')}`;
  }

  /** The row id a cursor continues after, or {@link InvalidCursorError}. */
  decode(cursor: string, scope: CursorScope): string {
    if (!CURSOR.test(cursor)) throw new InvalidCursorError();
    const bytes = Buffer.from(cursor.slice(1), 'base64url');
    if (bytes.length !== 16 + MAC_BYTES) throw new InvalidCursorError();
    const id = bytes.subarray(0, 16);
    const mac = bytes.subarray(16);
    if (!this.keys.some((key) => timingSafeEqual(this.mac(key, id, scope), mac)))
      throw new InvalidCursorError();
    const hex = id.toString('hex');
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    if (!UUID.test(uuid)) throw new InvalidCursorError();
    return uuid;
  }

  private mac(key: KeyObject, id: Buffer, scope: CursorScope): Buffer {
    return createHmac('sha256', key)
      .update(`${scope.list}\n${scope.tenantId ?? ''}\n`)
      .update(id)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}

/**
 * Runs `query` as one page, newest first, by keyset on `(created_at, id)` (the tables'
 * composite indexes serve it): stable under concurrent inserts, and as fast on page 1000
 * as on page 1. The position is read back from the cursor's row itself (its `created_at`
 * to the microsecond), so no timestamp is rounded through JavaScript's milliseconds.
 *
 * With `tenantId`, the cursor must have been made for that tenant, and its row is looked up
 * among that tenant's rows only: another tenant's id tells nothing, not even that it exists.
 * A valid cursor whose row is gone gives an empty page.
 */
export async function newestFirst<T extends ObjectLiteral & { id: string }>(
  query: SelectQueryBuilder<T>,
  { limit, cursor }: PageRequest,
  cursors: KeysetCursors,
  { tenantId }: { tenantId?: string } = {},
): Promise<Page<T>> {
  const alias = query.alias;
  const table = query.expressionMap.mainAlias!.metadata.tablePath;
  const scope: CursorScope = { list: table, tenantId };
  if (cursor !== undefined) {
    const owned = tenantId === undefined ? '' : ' AND after.tenant_id = :afterTenantId';
    query.andWhere(
      `(${alias}.created_at, ${alias}.id) < (SELECT after.created_at, after.id FROM ${table} after WHERE after.id = :afterId${owned})`,
      { afterId: cursors.decode(cursor, scope), afterTenantId: tenantId },
    );
  }
  const rows = await query
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1)
    .getMany();
  const items = rows.slice(0, limit);
  return {
    items,
    nextCursor: rows.length > limit ? cursors.encode(items[items.length - 1]!.id, scope) : null,
  };
}
