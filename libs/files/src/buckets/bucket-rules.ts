import { isTypeAccepted, mediaTypeEssence } from '../content-type';
import type { FileEntity } from '../entities/file.entity';
import { FileTooLargeError, InvalidFileInputError, UnsupportedFileTypeError } from '../file.errors';
import type { BucketEntity } from './bucket.entity';

/** Lowercase letters, digits and hyphens, 2 to 63 characters. */
export const BUCKET_NAME = /^[a-z0-9-]{2,63}$/;
const TYPE_PATTERN = /^[a-z0-9!#$&^_.+-]+\/(\*|[a-z0-9!#$&^_.+-]+)$/;
const MAX_ALLOWED_TYPES = 100;

/** What a client sets on a bucket; every field optional (PATCH). */
export interface BucketSettings {
  allowedTypes?: string[];
  maxFileSizeBytes?: number | null;
  public?: boolean;
  cacheMaxAgeSeconds?: number;
  retentionDays?: number | null;
}

export function checkBucketName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || !BUCKET_NAME.test(name)) {
    throw new InvalidFileInputError(field, 'must be 2 to 63 lowercase letters, digits or hyphens');
  }
  return name;
}

/** The settings, checked and normalised (types lowercased, without parameters). */
export function checkBucketSettings(settings: BucketSettings, maxSizeBytes: number): BucketSettings {
  const checked: BucketSettings = { ...settings };
  if (settings.allowedTypes !== undefined) {
    if (settings.allowedTypes.length > MAX_ALLOWED_TYPES) {
      throw new InvalidFileInputError('allowedTypes', `at most ${MAX_ALLOWED_TYPES} entries`);
    }
    checked.allowedTypes = settings.allowedTypes.map((entry) => {
      const normalized = entry.trim().toLowerCase();
      const essence = normalized.endsWith('/*') ? normalized : mediaTypeEssence(normalized);
      if (!essence || !TYPE_PATTERN.test(essence) || essence.startsWith('*')) {
        throw new InvalidFileInputError(
          'allowedTypes',
          `${JSON.stringify(entry)} is not type/subtype or type/*`,
        );
      }
      return essence;
    });
  }
  const max = settings.maxFileSizeBytes;
  if (max !== undefined && max !== null && (!Number.isSafeInteger(max) || max < 1 || max > maxSizeBytes)) {
    throw new InvalidFileInputError(
      'maxFileSizeBytes',
      `must be a whole number from 1 to files.maxSizeBytes (${maxSizeBytes})`,
    );
  }
  return checked;
}

/**
 * Whether a file already stored may be in a bucket (a move or a copy into it): its declared
 * and sniffed types must pass the bucket's `allowedTypes` (else {@link UnsupportedFileTypeError})
 * and its size its `maxFileSizeBytes` (else {@link FileTooLargeError}).
 */
export function checkFileFitsBucket(
  file: Pick<FileEntity, 'contentType' | 'detectedType' | 'size'>,
  bucket: Pick<BucketEntity, 'allowedTypes' | 'maxFileSizeBytes'>,
): void {
  if (bucket.allowedTypes.length > 0) {
    const policy = { allowedTypes: bucket.allowedTypes, deniedTypes: [] };
    for (const type of [file.contentType, file.detectedType]) {
      if (type && !isTypeAccepted(type, policy)) throw new UnsupportedFileTypeError(type);
    }
  }
  if (bucket.maxFileSizeBytes !== null && (file.size ?? 0) > bucket.maxFileSizeBytes) {
    throw new FileTooLargeError(bucket.maxFileSizeBytes);
  }
}
