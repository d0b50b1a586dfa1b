import type { ByteRange, DiskOperation, WriteOptions } from './disk.interface';
import { InvalidMetadataError, InvalidPathError, InvalidRangeError } from './storage.errors';

/** S3's limit, and a sane one for any disk. */
export const MAX_KEY_BYTES = 1024;
/** S3's limit on user metadata (names and values together). */
export const MAX_METADATA_BYTES = 2048;
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

// C0 and C1 control characters and DEL; NUL is reported on its own.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /\p{Cs}/u;
const DRIVE_LETTER = /^[A-Za-z]:/;
const METADATA_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const HEADER_VALUE = /^[\x20-\x7e]*$/;

/**
 * The canonical form of a key (`a//b/./c` is `a/b/c`), or {@link InvalidPathError} for a
 * key that could escape the disk or that some driver could not store faithfully.
 */
export function normalizeKey(key: string, operation: DiskOperation): string {
  const normalized = normalizeSegments(key, operation).join('/');
  if (normalized === '') refuse(key, operation, 'it is empty');
  return normalized;
}

/** The canonical form of a prefix: `''` (the whole disk) or a folder ending with `/`. */
export function normalizePrefix(prefix: string, operation: DiskOperation): string {
  const normalized = normalizeSegments(prefix, operation).join('/');
  return normalized === '' ? '' : `${normalized}/`;
}

function normalizeSegments(key: string, operation: DiskOperation): string[] {
  if (typeof key !== 'string') refuse(String(key), operation, 'it is not a string');
  if (key.includes('\0')) refuse(key, operation, 'it contains NUL');
  if (CONTROL_CHARACTER.test(key)) refuse(key, operation, 'it contains a control character');
  if (LONE_SURROGATE.test(key)) refuse(key, operation, 'it is not well-formed Unicode');
  if (key.includes('\\')) refuse(key, operation, 'it contains a backslash');
  if (key.startsWith('/') || DRIVE_LETTER.test(key)) refuse(key, operation, 'it is absolute');
  const segments = key.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) refuse(key, operation, 'it contains a ".." segment');
  if (Buffer.byteLength(segments.join('/')) > MAX_KEY_BYTES)
    refuse(key, operation, `it is longer than ${MAX_KEY_BYTES} bytes`);
  return segments;
}

function refuse(key: string, operation: DiskOperation, reason: string): never {
  throw new InvalidPathError({ operation, key, reason });
}

/** Write options with defaults applied and metadata names lowercased, or {@link InvalidMetadataError}. */
export function normalizeWriteOptions(key: string, options: WriteOptions = {}): Required<WriteOptions> {
  const invalid = (reason: string): never => {
    throw new InvalidMetadataError({ operation: 'write', key, reason });
  };
  const contentType = options.contentType ?? DEFAULT_CONTENT_TYPE;
  if (contentType === '' || !HEADER_VALUE.test(contentType))
    invalid('the content type must be printable ASCII');

  const metadata: Record<string, string> = {};
  let bytes = 0;
  for (const [rawName, value] of Object.entries(options.metadata ?? {})) {
    const name = rawName.toLowerCase();
    if (!METADATA_NAME.test(name)) invalid(`name "${rawName}" must be letters, digits, "-" and "_"`);
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) invalid(`"${name}" must be printable ASCII`);
    metadata[name] = value;
    bytes += name.length + value.length;
  }
  if (bytes > MAX_METADATA_BYTES) invalid(`it exceeds ${MAX_METADATA_BYTES} bytes`);
  return { contentType, metadata, newKey: options.newKey === true };
}

/** Refuses a malformed range before any I/O; whether it fits the object is the driver's to say. */
export function checkRange(key: string, range: ByteRange | undefined): void {
  if (range === undefined) return;
  const { start, end } = range;
  const valid =
    Number.isSafeInteger(start) &&
    start >= 0 &&
    (end === undefined || (Number.isSafeInteger(end) && end >= start));
  if (!valid) throw new InvalidRangeError({ operation: 'readStream', key, range });
}

/** The last byte a range reads from an object of `size` bytes, or {@link InvalidRangeError}. */
export function rangeEnd(key: string, range: ByteRange, size: number): number {
  if (range.start >= size) throw new InvalidRangeError({ operation: 'readStream', key, range, size });
  return Math.min(range.end ?? size - 1, size - 1);
}
