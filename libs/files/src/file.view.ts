import type { FileEntity, FileStatus } from './entities/file.entity';
import type { FileMetadata } from './file-metadata';

/** A file as the api returns it and webhooks carry it (the contract's `File`). */
export interface FileView {
  id: string;
  /** The bucket's name; null only for a deleted file whose bucket was deleted since. */
  bucket: string | null;
  name: string;
  size: number | null;
  /** Bytes received so far: below `size` only while a resumable upload is `uploading`. */
  receivedBytes: number | null;
  contentType: string;
  detectedType: string | null;
  sha256: string | null;
  status: FileStatus;
  failureReason: string | null;
  metadata: FileMetadata;
  /** Where a file of a public bucket is read without a key; absent in private buckets. */
  publicUrl?: string;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a view shows of the file itself. */
export type FileViewFields = Pick<
  FileEntity,
  | 'id'
  | 'name'
  | 'size'
  | 'receivedBytes'
  | 'contentType'
  | 'detectedType'
  | 'sha256'
  | 'status'
  | 'failureReason'
  | 'metadata'
  | 'expiresAt'
  | 'createdAt'
  | 'updatedAt'
>;

/**
 * The fields of a view as a reader has them: the entity's, or a list's rows, whose times the
 * database formatted already (see FilesRepository.list).
 */
export type FileViewSource = Omit<FileViewFields, 'createdAt' | 'updatedAt'> & {
  createdAt: Date | string;
  updatedAt: Date | string;
};

/** A time as the contract shows it: ISO 8601 in UTC, to the millisecond. */
function iso(time: Date | string): string {
  return typeof time === 'string' ? time : time.toISOString();
}

/** What a view shows of the file's bucket. */
export interface FileViewContext {
  bucket: string | null;
  publicUrl?: string;
}

/** The view of a file; its bucket comes from {@link FileViewsService}, which reads it. */
export function toFileView(file: FileViewSource, context: FileViewContext): FileView {
  return {
    id: file.id,
    bucket: context.bucket,
    name: file.name,
    size: file.size,
    receivedBytes: file.receivedBytes ?? file.size,
    contentType: file.contentType,
    detectedType: file.detectedType,
    sha256: file.sha256,
    status: file.status,
    failureReason: file.failureReason,
    metadata: file.metadata ?? {},
    ...(context.publicUrl ? { publicUrl: context.publicUrl } : {}),
    expiresAt: file.expiresAt?.toISOString() ?? null,
    createdAt: iso(file.createdAt),
    updatedAt: iso(file.updatedAt),
  };
}
