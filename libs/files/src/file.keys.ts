/**
 * Where a file's bytes live on its disk. An upload lands in `incoming/`; the worker moves
 * it to `files/` once it has checked it. Both keys derive from the ids alone, so any step
 * can find the object again after a crash.
 */
export function incomingKey(tenantId: string, fileId: string): string {
  return `tenants/${tenantId}/incoming/${fileId}`;
}

export function storedKey(tenantId: string, fileId: string): string {
  return `tenants/${tenantId}/files/${fileId}`;
}

const STORED_KEY = /^tenants\/([0-9a-f-]{36})\/files\/([0-9a-f-]{36})$/;

/** The ids a stored key names, or undefined for any other key. */
export function parseStoredKey(key: string): { tenantId: string; fileId: string } | undefined {
  const match = STORED_KEY.exec(key);
  return match ? { tenantId: match[1]!, fileId: match[2]! } : undefined;
}
