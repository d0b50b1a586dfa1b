import type { Disk, ListEntry, ListOptions, ListPage } from './disk.interface';

export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 1000;

/** {@link Disk.list} for any disk: its pages, one after the other. */
export async function* paginate(
  disk: Pick<Disk, 'listPage'>,
  prefix = '',
  options: ListOptions = {},
): AsyncGenerator<ListEntry> {
  let cursor: string | undefined;
  do {
    const page = await disk.listPage(prefix, { deep: options.deep, limit: options.pageSize, cursor });
    yield* page.entries;
    cursor = page.cursor;
  } while (cursor !== undefined);
}

/**
 * A page of at most `limit` entries taken from a key-ordered sequence, with a cursor when
 * more follow. For drivers that list by walking keys in order (local, memory), the cursor is
 * the last key returned, encoded so that nobody mistakes it for a key.
 */
export async function takePage(
  entries: AsyncIterable<ListEntry> | Iterable<ListEntry>,
  limit: number,
): Promise<ListPage> {
  const page: ListEntry[] = [];
  for await (const entry of entries) {
    if (page.length === limit) return { entries: page, cursor: encodeCursor(page[page.length - 1].key) };
    page.push(entry);
  }
  return { entries: page };
}

export function encodeCursor(afterKey: string): string {
  return Buffer.from(afterKey).toString('base64url');
}

/** The key a cursor resumes after. A cursor is only a position: a forged one can but skip entries. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString();
}
