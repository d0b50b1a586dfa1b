import { InvalidFileInputError } from './file.errors';

/** A client's own string values about a file. */
export type FileMetadata = Record<string, string>;

export const MAX_METADATA_KEYS = 64;
export const MAX_METADATA_BYTES = 8 * 1024;
const KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * `metadata` as sent (a JSON text, as a multipart field carries it, or an already parsed
 * value): a JSON object of string values, at most 64 keys and 8 KiB as JSON. Keys are
 * visible ASCII (1 to 128 characters).
 */
export function parseMetadata(value: unknown, field = 'metadata'): FileMetadata {
  let parsed = value;
  if (typeof value === 'string') {
    if (Buffer.byteLength(value) > MAX_METADATA_BYTES) {
      throw new InvalidFileInputError(field, `must be at most ${MAX_METADATA_BYTES} bytes as JSON`);
    }
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new InvalidFileInputError(field, 'must be a JSON object of string values');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidFileInputError(field, 'must be a JSON object of string values');
  }
  const entries = Object.entries(parsed);
  if (entries.length > MAX_METADATA_KEYS) {
    throw new InvalidFileInputError(field, `must have at most ${MAX_METADATA_KEYS} keys`);
  }
  const metadata: FileMetadata = {};
  for (const [key, entry] of entries) {
    if (!KEY.test(key))
      throw new InvalidFileInputError(
        field,
        `key ${JSON.stringify(key)} must be 1 to 128 visible ASCII characters`,
      );
    if (typeof entry !== 'string')
      throw new InvalidFileInputError(field, `the value of ${JSON.stringify(key)} must be a string`);
    metadata[key] = entry;
  }
  if (Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES) {
    throw new InvalidFileInputError(field, `must be at most ${MAX_METADATA_BYTES} bytes as JSON`);
  }
  return metadata;
}
