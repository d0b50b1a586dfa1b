import type { FileStatus } from './entities/file.entity';

/**
 * Why the files domain refused a request. Each has one meaning a client can act on; the
 * api maps them to HTTP in its one exception filter.
 */
export abstract class FileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The upload passed `files.maxSizeBytes` (found while streaming it). */
export class FileTooLargeError extends FileError {
  constructor(readonly maxSizeBytes: number) {
    super(`the file is larger than the limit of ${maxSizeBytes} bytes`);
  }
}

/** The declared type is not allowed by `files.allowedTypes` / `files.deniedTypes`. */
export class UnsupportedFileTypeError extends FileError {
  constructor(readonly contentType: string) {
    super(`files of type ${contentType} are not accepted`);
  }
}

/** A request about files is unusable as sent: no file part, an empty file, a bad field. */
export class InvalidFileInputError extends FileError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** The file's bytes cannot be served yet (or ever, if it failed). */
export class FileNotReadyError extends FileError {
  constructor(readonly status: FileStatus) {
    super(
      status === 'failed'
        ? 'the file failed processing and cannot be downloaded'
        : `the file is ${status}; it can be downloaded once it is ready`,
    );
  }
}

/** The idempotency key was used for a file since deleted: it cannot be replayed or reused. */
export class IdempotencyKeyReusedError extends FileError {
  constructor() {
    super('this Idempotency-Key was used for a file that has since been deleted');
  }
}

/** The upload's body broke off or was malformed before the file was complete. */
export class UploadInterruptedError extends FileError {
  constructor(cause: unknown) {
    super(
      `the upload ended before the file was complete: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.cause = cause;
  }
}

/** An upload link that cannot be used: unknown or altered, expired, or already used once. */
export class UploadLinkRefusedError extends FileError {
  constructor(readonly reason: 'invalid' | 'expired' | 'used') {
    super(
      reason === 'used'
        ? 'this upload link has already been used'
        : reason === 'expired'
          ? 'this upload link has expired; ask for a new one'
          : 'this is not a valid upload link',
    );
  }
}

/** No bucket of that name in the tenant (another tenant's buckets do not exist for it). */
export class BucketNotFoundError extends FileError {
  constructor(readonly bucket: string) {
    super(`there is no bucket named ${JSON.stringify(bucket)}`);
  }
}

/** The tenant already has a bucket of that name. */
export class BucketExistsError extends FileError {
  constructor(readonly bucket: string) {
    super(`a bucket named ${JSON.stringify(bucket)} already exists`);
  }
}

/** The bucket cannot be deleted: it holds files (delete with `force`), or it is `default`. */
export class BucketNotEmptyError extends FileError {
  constructor(
    readonly bucket: string,
    message = `the bucket ${JSON.stringify(bucket)} holds files; delete them first or pass force=true`,
  ) {
    super(message);
  }
}

/** Which of the tenant's quotas a refused upload would have passed. */
export type QuotaName = 'maxBytes' | 'maxFiles';

/** The upload or copy would take the tenant past its quota; nothing was stored. */
export class QuotaExceededError extends FileError {
  constructor(
    readonly quota: QuotaName,
    readonly limit: number,
  ) {
    super(
      quota === 'maxBytes'
        ? `the tenant's storage quota of ${limit} bytes would be exceeded`
        : `the tenant's quota of ${limit} files would be exceeded`,
    );
  }
}
