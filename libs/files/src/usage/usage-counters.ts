import type { EntityManager } from 'typeorm';
import { QuotaExceededError } from '../file.errors';

/** An amount held in one bucket of one tenant. */
export interface UsageChange {
  tenantId: string;
  bucketId: string;
  bytes: number;
  files: number;
}

/**
 * The tenant's and each bucket's usage counters (`tenants.used_bytes/used_files`,
 * `buckets.used_bytes/used_files`): what the tenant holds, counted as it changes instead
 * of by a scan. Every change goes through here, in the transaction that changes the file
 * rows (or, for bytes still streaming, on its own and settled in that transaction).
 *
 * A reservation is one conditional UPDATE of the tenant's row: it passes only if the
 * quota still holds after it, so concurrent uploads serialise on that row and together can
 * never pass the quota. The tenant's row is always updated before the bucket's, so two
 * transactions never wait on each other in opposite orders.
 */
export const UsageCounters = {
  /** Holds `bytes` and `files` against the tenant's quota, or throws {@link QuotaExceededError}. */
  async reserve(manager: EntityManager, change: UsageChange): Promise<void> {
    const result: unknown[] = await manager.query(
      `WITH ${RESERVATION} SELECT id FROM reserved`,
      reservationParameters(change),
    );
    if (updatedRows(result).length === 0) throw await UsageCounters.refusal(manager, change);
  },

  /** Why {@link RESERVATION} refused `change`: the quota it would pass. */
  async refusal(manager: EntityManager, change: UsageChange): Promise<QuotaExceededError> {
    const [tenant] = await manager.query<TenantUsageRow[]>(
      `SELECT used_bytes, used_files, quota_max_bytes, quota_max_files FROM tenants WHERE id = $1`,
      [change.tenantId],
    );
    if (!tenant) throw new Error(`tenant ${change.tenantId} does not exist`);
    const maxFiles = tenant.quota_max_files === null ? null : Number(tenant.quota_max_files);
    if (maxFiles !== null && change.files > 0 && Number(tenant.used_files) + change.files > maxFiles) {
      return new QuotaExceededError('maxFiles', maxFiles);
    }
    return new QuotaExceededError('maxBytes', Number(tenant.quota_max_bytes));
  },

  /** Gives back what {@link reserve} held (a negative change is not checked against the quota). */
  async release(manager: EntityManager, change: UsageChange): Promise<void> {
    await UsageCounters.add(manager, { ...change, bytes: -change.bytes, files: -change.files });
  },

  /** Moves held bytes and files from one of the tenant's buckets to another (the tenant's total is unchanged). */
  async moveBetweenBuckets(
    manager: EntityManager,
    move: { fromBucketId: string; toBucketId: string; bytes: number; files: number },
  ): Promise<void> {
    if (move.fromBucketId === move.toBucketId) return;
    const { bytes, files } = move;
    await adjustBucket(manager, { tenantId: '', bucketId: move.fromBucketId, bytes: -bytes, files: -files });
    await adjustBucket(manager, { tenantId: '', bucketId: move.toBucketId, bytes, files });
  },

  /** Adds a change, positive or negative, without checking the quota. */
  async add(manager: EntityManager, change: UsageChange): Promise<void> {
    if (change.bytes === 0 && change.files === 0) return;
    await manager.query(
      `UPDATE tenants SET used_bytes = used_bytes + $2, used_files = used_files + $3 WHERE id = $1`,
      [change.tenantId, change.bytes, change.files],
    );
    await adjustBucket(manager, change);
  },
};

/**
 * A reservation as one statement's common table expressions, so that the tenant's row is
 * locked only while the statement runs and commits, never across a round trip to the app:
 * `reserved` updates the tenant's row only if the quota still holds after it (and returns
 * its id), then the bucket's row follows only if it did. Parameters $1 to $4 are
 * {@link reservationParameters}; a statement may add its own from $5 and use `reserved`
 * (a row when the reservation passed, none when it was refused).
 */
export const RESERVATION = `reserved AS (
    UPDATE tenants SET used_bytes = used_bytes + $2, used_files = used_files + $3
     WHERE id = $1
       AND (quota_max_bytes IS NULL OR $2 <= 0 OR used_bytes + $2 <= quota_max_bytes)
       AND (quota_max_files IS NULL OR $3 <= 0 OR used_files + $3 <= quota_max_files)
    RETURNING id),
  reserved_bucket AS (
    UPDATE buckets SET used_bytes = used_bytes + $2, used_files = used_files + $3
     WHERE id = $4 AND EXISTS (SELECT 1 FROM reserved))`;

export function reservationParameters(change: UsageChange): unknown[] {
  return [change.tenantId, change.bytes, change.files, change.bucketId];
}

async function adjustBucket(manager: EntityManager, change: UsageChange): Promise<void> {
  if (change.bytes === 0 && change.files === 0) return;
  await manager.query(
    `UPDATE buckets SET used_bytes = used_bytes + $2, used_files = used_files + $3 WHERE id = $1`,
    [change.bucketId, change.bytes, change.files],
  );
}

interface TenantUsageRow {
  used_bytes: string;
  used_files: string;
  quota_max_bytes: string | null;
  quota_max_files: string | null;
}

/** TypeORM answers an UPDATE ... RETURNING on PostgreSQL as `[rows, affected]`. */
export function updatedRows(result: unknown[]): unknown[] {
  return Array.isArray(result[0]) ? result[0] : result;
}
