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

const CURSOR_VERSION = 'v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A cursor names the last row of a page, opaquely: `base64url("v1:<id>")`. The position is
 * read back from the row itself (its `created_at` to the microsecond), so no timestamp
 * is rounded through JavaScript's milliseconds and no row is skipped or repeated.
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`${CURSOR_VERSION}:${lastId}`).toString('base64url');
}

/** The row id a cursor continues after, or {@link InvalidCursorError}. */
export function decodeCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(cursor)) throw new InvalidCursorError();
  const [version, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (version !== CURSOR_VERSION || rest.length > 0 || !id || !UUID.test(id)) throw new InvalidCursorError();
  return id;
}

/**
 * Runs `query` as one page, newest first, by keyset on `(created_at, id)` (the tables'
 * composite indexes serve it): stable under concurrent inserts, and as fast on page 1000
 * as on page 1. A well-formed cursor naming no row gives an empty page.
 */
export async function newestFirst<T extends ObjectLiteral & { id: string }>(
  query: SelectQueryBuilder<T>,
  { limit, cursor }: PageRequest,
): Promise<Page<T>> {
  const alias = query.alias;
  const table = query.expressionMap.mainAlias!.metadata.tablePath;
  if (cursor !== undefined) {
    query.andWhere(
      `(${alias}.created_at, ${alias}.id) < (SELECT after.created_at, after.id FROM ${table} after WHERE after.id = :afterId)`,
      { afterId: decodeCursor(cursor) },
    );
  }
  const rows = await query
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1)
    .getMany();
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!.id) : null };
}
