import { createHash } from 'node:crypto';
import { Upload, type UploadOptions } from 'tus-js-client';
import type { AppProcess } from '../../support/app-process';
import { bearer } from '../../support/depot-api';

export const MiB = 1024 * 1024;

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The file id in an upload URL (`…/v1/uploads/{id}`). */
export const uploadId = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

/** Options for the official tus client against one api process, with no retries unless asked. */
export function tusOptions(api: AppProcess, key: string, options: UploadOptions = {}): UploadOptions {
  return {
    endpoint: `${api.url}/v1/uploads`,
    headers: bearer(key),
    retryDelays: [],
    storeFingerprintForResuming: false,
    ...options,
  };
}

/** Runs a tus upload to the end (or its error). */
export function tusUpload(bytes: Buffer, options: UploadOptions): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const upload: Upload = new Upload(bytes, {
      ...options,
      onSuccess: () => resolve(upload),
      onError: reject,
    });
    upload.start();
  });
}

/**
 * Starts a tus upload and aborts it (as a dropped connection would) once at least
 * `stopAfterBytes` have been accepted; resolves with the upload URL.
 */
export function tusUploadUntil(
  bytes: Buffer,
  stopAfterBytes: number,
  options: UploadOptions,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload: Upload = new Upload(bytes, {
      ...options,
      onChunkComplete: (_chunk, accepted) => {
        if (accepted >= stopAfterBytes) {
          upload.abort().then(() => resolve(upload.url!), reject);
        }
      },
      onSuccess: () => reject(new Error('the upload finished before it was interrupted')),
      onError: reject,
    });
    upload.start();
  });
}

/** tus Upload-Metadata: `key base64(value)` pairs. */
export function tusMetadata(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}
