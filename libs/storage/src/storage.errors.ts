import type { ByteRange, DiskOperation } from './disk.interface';

export interface StorageErrorDetails {
  operation: DiskOperation;
  /** The key or prefix concerned, as the caller gave it or as normalised. */
  key?: string;
  cause?: unknown;
  /** What an operator can do about it; boot checks print it. */
  hint?: string;
}

/** Any failure of a disk operation. The driver's own error, if any, is the `cause`. */
export class StorageError extends Error {
  override name = 'StorageError';
  readonly operation: DiskOperation;
  readonly key: string | undefined;
  readonly hint: string | undefined;

  constructor(details: StorageErrorDetails, message = describeError(details.cause)) {
    const where = details.key === undefined ? '' : ` ${JSON.stringify(details.key)}`;
    super(`storage ${details.operation}${where} failed: ${message}`, { cause: details.cause });
    this.operation = details.operation;
    this.key = details.key;
    this.hint = details.hint;
  }
}

/** The key does not exist (or, on a local disk, names a folder). */
export class FileNotFoundError extends StorageError {
  override name = 'FileNotFoundError';
  declare readonly key: string;

  constructor(details: StorageErrorDetails & { key: string }) {
    super(details, 'no such file');
  }
}

/** The key or prefix is refused: traversal, absolute, backslash, control characters, too long... */
export class InvalidPathError extends StorageError {
  override name = 'InvalidPathError';
  declare readonly key: string;
  readonly reason: string;

  constructor(details: Omit<StorageErrorDetails, 'key'> & { key: string; reason: string }) {
    super(details, `invalid key: ${details.reason}`);
    this.reason = details.reason;
  }
}

/** The range starts past the last byte (HTTP 416), or is malformed. */
export class InvalidRangeError extends StorageError {
  override name = 'InvalidRangeError';
  declare readonly key: string;
  readonly range: ByteRange;
  /** The object's size, when the driver knows it (for `Content-Range: bytes *\/size`). */
  readonly size: number | undefined;

  constructor(details: StorageErrorDetails & { key: string; range: ByteRange; size?: number }) {
    const { start, end = '' } = details.range;
    const of = details.size === undefined ? '' : ` of ${details.size} bytes`;
    super(details, `range ${start}-${end} is not satisfiable${of}`);
    this.range = details.range;
    this.size = details.size;
  }
}

/** Metadata that S3 could not keep as given (see {@link WriteOptions.metadata}). */
export class InvalidMetadataError extends StorageError {
  override name = 'InvalidMetadataError';
  readonly reason: string;

  constructor(details: StorageErrorDetails & { reason: string }) {
    super(details, `invalid metadata: ${details.reason}`);
    this.reason = details.reason;
  }
}

/** A write to a disk wrapped read-only. */
export class ReadOnlyDiskError extends StorageError {
  override name = 'ReadOnlyDiskError';
  constructor(details: StorageErrorDetails) {
    super(details, 'the disk is read-only');
  }
}

/** A one-line account of any thrown value, with the errno code when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error.message || error.name;
    return code && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return error === undefined ? 'unknown error' : String(error);
}

/** The error Node's streams (`pipeline`, a stream's iterator) report for one closed before its end. */
export function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}
