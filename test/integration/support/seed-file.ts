import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { FileEntity, incomingKey, storedKey } from '@depot/files';
import type { Disk } from '@depot/storage';

/** Where a seeded file's bytes sit, and the row's state, as an upload (or a crash) left them. */
export interface SeedFileOptions {
  at?: 'incoming' | 'stored' | 'nowhere';
  status?: FileEntity['status'];
  bucketId?: string | null;
}

/** Inserts a file row for `tenantId` and writes its bytes where `at` says (default: a pending upload's). */
export async function seedFile(
  dataSource: DataSource,
  disk: Disk,
  tenantId: string,
  bytes: Uint8Array,
  { at = 'incoming', status = 'pending', bucketId = null }: SeedFileOptions = {},
): Promise<FileEntity> {
  const files = dataSource.getRepository(FileEntity);
  const id = randomUUID();
  const file = files.create({
    id,
    tenantId,
    bucketId,
    name: 'seeded.bin',
    size: bytes.length,
    contentType: 'application/octet-stream',
    detectedType: null,
    sha256: null,
    status,
    failureReason: null,
    disk: disk.name,
    storageKey: incomingKey(tenantId, id),
    idempotencyKey: null,
    expiresAt: null,
    deletedAt: null,
  });
  await files.insert(file);
  if (at === 'incoming') await disk.write(incomingKey(tenantId, id), bytes);
  if (at === 'stored') await disk.write(storedKey(tenantId, id), bytes);
  return file;
}
