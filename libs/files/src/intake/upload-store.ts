import { join, resolve } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import type { DataStore } from '@tus/utils';
import { StorageConfig, UploadsConfig } from '@depot/config';
import { FileNotFoundError, flushFile, StorageService } from '@depot/storage';
import { BufferedFileStore } from './buffered-file-store';
import { DiskChunkStore } from './disk-chunk-store';

/** Where a resumable upload's partial bytes live on the default disk, as a Disk key and a tus store id. */
export function partialUploadKey(fileId: string): string {
  return `uploads/${fileId}`;
}

/**
 * The tus DataStore over the default disk's own place, under `uploads/{fileId}`: on a
 * local disk `@tus/file-store` in the disk's root (each PATCH appends to one file without
 * flushing it; once complete, the file is flushed to the device and renamed to the file's
 * `incoming/` key without reading it); on
 * any other disk (S3, memory) {@link DiskChunkStore}, which keeps each PATCH as an object
 * through Depot's own Disk API and assembles them at the end.
 *
 * Every replica pointing at the same root or bucket sees the same uploads, and nothing is
 * held in a process's memory, so an upload resumes on another replica or after a restart.
 *
 * Why not `@tus/s3-store` for S3: it needs ListParts and AbortMultipartUpload, which not
 * every S3-compatible server has (s3rver, which the tests run against, lacks both), and
 * it would bypass the Disk API's key rules, metrics and errors.
 */
@Injectable()
export class UploadStore {
  private readonly logger = new Logger(UploadStore.name);
  readonly datastore: DataStore;
  private readonly chunks: DiskChunkStore | undefined;
  /** The local disk's root, where {@link BufferedFileStore} keeps each upload's file. */
  private readonly directory: string | undefined;

  constructor(
    storageConfig: StorageConfig,
    uploads: UploadsConfig,
    private readonly storage: StorageService,
  ) {
    const disk = storageConfig.disks[storageConfig.default]!;
    const expirationPeriodInMilliseconds = uploads.expireAfterSeconds * 1000;
    if (disk.driver === 'local') {
      this.directory = resolve(disk.root);
      this.datastore = new BufferedFileStore({ directory: this.directory, expirationPeriodInMilliseconds });
      // Depot needs every upload's length up front (its size limit, quotas): no deferred length.
      this.datastore.extensions = this.datastore.extensions.filter(
        (name) => name !== 'creation-defer-length',
      );
    } else {
      this.chunks = new DiskChunkStore(storage.disk(), expirationPeriodInMilliseconds);
      this.datastore = this.chunks;
    }
  }

  /** Puts a complete upload's bytes at `target` on the default disk, as one object. */
  async assemble(fileId: string, target: string): Promise<void> {
    const key = partialUploadKey(fileId);
    if (this.chunks) return this.chunks.assemble(key, target);
    // On the device before the file is recorded, as a single-request upload is before its 201;
    // once for the whole file, not per PATCH (a client resumes from the offset the file shows).
    // A file already gone is the move's to report.
    if (this.directory) await flushFile(join(this.directory, key)).catch(ignoreMissing);
    await this.storage.disk().move(key, target);
  }

  /** Removes the store's bookkeeping for an upload whose bytes have been assembled. */
  async forget(fileId: string): Promise<void> {
    if (this.chunks) return;
    const key = `${partialUploadKey(fileId)}.json`;
    await this.storage
      .disk()
      .remove(key)
      .catch((error: unknown) => this.logRemoval(error, key));
  }

  /** Removes an unfinished upload's bytes and bookkeeping. */
  async remove(fileId: string): Promise<void> {
    const key = partialUploadKey(fileId);
    try {
      await this.datastore.remove(key);
    } catch (error) {
      // The store's own "not found" (a tus error object): already gone.
      if (!isTusNotFound(error)) throw error;
    }
    await this.forget(fileId);
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

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException | null)?.code !== 'ENOENT') throw error;
}
