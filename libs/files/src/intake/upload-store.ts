import { resolve } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import type { DataStore } from '@tus/utils';
import { StorageConfig, UploadsConfig } from '@depot/config';
import { FileNotFoundError, s3ClientConfig, StorageService } from '@depot/storage';

/** Where a resumable upload's partial bytes live on the default disk, as a Disk key and a tus store id. */
export function partialUploadKey(fileId: string): string {
  return `uploads/${fileId}`;
}

/** S3 multipart parts: 8 MiB, as S3Store's default (S3 refuses parts under 5 MiB but the last). */
const S3_PART_BYTES = 8 * 1024 * 1024;

/**
 * The tus DataStore over the default disk's own place: `@tus/file-store` in the local
 * disk's root, `@tus/s3-store` in the S3 disk's bucket, both under `uploads/{fileId}`.
 * Every replica pointing at the same root or bucket sees the same uploads, and nothing is
 * held in a process's memory, so an upload resumes on another replica or after a restart.
 * Once complete, the object is an ordinary key on the disk, moved to the file's
 * `incoming/` key (a rename on a local disk, a server-side copy on S3) without reading it.
 *
 * The stores keep their own bookkeeping beside the bytes (`.json` on local disks; `.info`
 * and `.part` objects on S3), removed with the upload. A memory disk has no store.
 */
@Injectable()
export class UploadStore {
  private readonly logger = new Logger(UploadStore.name);
  /** Undefined when the default disk cannot hold resumable uploads (memory). */
  readonly datastore: DataStore | undefined;
  private readonly sidecars: (key: string) => string[];

  constructor(
    storageConfig: StorageConfig,
    uploads: UploadsConfig,
    private readonly storage: StorageService,
  ) {
    const disk = storageConfig.disks[storageConfig.default]!;
    const expirationPeriodInMilliseconds = uploads.expireAfterSeconds * 1000;
    if (disk.driver === 'local') {
      this.datastore = new FileStore({ directory: resolve(disk.root), expirationPeriodInMilliseconds });
      this.sidecars = (key) => [`${key}.json`];
    } else if (disk.driver === 's3') {
      this.datastore = new S3Store({
        partSize: S3_PART_BYTES,
        expirationPeriodInMilliseconds,
        s3ClientConfig: { ...s3ClientConfig(disk), bucket: disk.bucket },
      });
      this.sidecars = (key) => [`${key}.info`, `${key}.part`];
    } else {
      this.datastore = undefined;
      this.sidecars = () => [];
    }
  }

  /** Removes the store's bookkeeping for an upload whose bytes have been moved away. */
  async forget(fileId: string): Promise<void> {
    const disk = this.storage.disk();
    for (const key of this.sidecars(partialUploadKey(fileId))) {
      await disk.remove(key).catch((error: unknown) => this.logRemoval(error, key));
    }
  }

  /** Removes an unfinished upload's bytes and bookkeeping (aborting an S3 multipart upload). */
  async remove(fileId: string): Promise<void> {
    const key = partialUploadKey(fileId);
    try {
      await this.datastore?.remove(key);
    } catch (error) {
      // The store's own "not found" (a tus error object), e.g. an upload created but never written.
      if (!isTusNotFound(error)) throw error;
    }
    await this.forget(fileId);
    await this.storage
      .disk()
      .remove(key)
      .catch((error: unknown) => this.logRemoval(error, key));
  }

  private logRemoval(error: unknown, key: string): void {
    if (!(error instanceof FileNotFoundError)) {
      this.logger.warn({ err: error, key }, 'could not remove part of an upload');
    }
  }
}

function isTusNotFound(error: unknown): boolean {
  return (error as { status_code?: unknown } | null)?.status_code === 404;
}
