import type { FileEntity, FileStatus } from './entities/file.entity';

/** A file as the api returns it and webhooks carry it (the contract's `File`). */
export interface FileView {
  id: string;
  name: string;
  size: number | null;
  /** Bytes received so far: below `size` only while a resumable upload is `uploading`. */
  receivedBytes: number | null;
  contentType: string;
  detectedType: string | null;
  sha256: string | null;
  status: FileStatus;
  failureReason: string | null;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toFileView(file: FileEntity): FileView {
  return {
    id: file.id,
    name: file.name,
    size: file.size,
    receivedBytes: file.receivedBytes ?? file.size,
    contentType: file.contentType,
    detectedType: file.detectedType,
    sha256: file.sha256,
    status: file.status,
    failureReason: file.failureReason,
    expiresAt: file.expiresAt?.toISOString() ?? null,
    createdAt: file.createdAt.toISOString(),
    updatedAt: file.updatedAt.toISOString(),
  };
}
