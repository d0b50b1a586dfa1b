import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { ERRORS, isPathInsideDirectory } from '@tus/utils';
import { writeThrough } from '@depot/storage';

/**
 * `@tus/file-store` with each PATCH body written through the local driver's reused buffers
 * (positional writes of 256 KiB, then 512 KiB, from the PATCH's offset) instead of a write
 * stream's one write per received chunk of about 64 KiB.
 *
 * Like `FileStore`, no PATCH is flushed: a 204 means the bytes are in the page cache, and
 * the complete file is flushed once before it becomes a file ({@link UploadStore.assemble}).
 * A PATCH cut short leaves a contiguous prefix of its bytes in the file (the writes are
 * sequential), so the offset a HEAD reports (the file's size) is where the client resumes.
 */
export class BufferedFileStore extends FileStore {
  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const path = join(this.directory, id);
    if (!isPathInsideDirectory(this.directory, path)) throw ERRORS.FILE_NOT_FOUND;
    try {
      const file = await open(path, 'r+');
      try {
        return await writeThrough(readable, file, offset);
      } finally {
        await file.close();
      }
    } catch {
      // As FileStore answers a failed write; the client learns the offset from a HEAD.
      throw ERRORS.FILE_WRITE_ERROR;
    }
  }
}
