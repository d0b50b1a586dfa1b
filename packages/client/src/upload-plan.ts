import type { OpenedSource, UrlStorage } from './platform.js';
import type { ProgressListener } from './types.js';

export interface UploadOptions {
  /** The file name to record; defaults to the File's or path's name, else `upload.bin`. */
  name?: string;
  /** The declared type; defaults to the Blob's type, else `application/octet-stream`. */
  contentType?: string;
  /** When the file is deleted automatically. */
  expiresAt?: Date | string;
  /** The bucket to upload into; the tenant's `default` when left out. */
  bucket?: string;
  /** The file's metadata: string values (at most 64 keys, 8 KiB as JSON). */
  metadata?: Record<string, string>;
  /** Multipart only: a retried upload with the same key is answered with the first file. */
  idempotencyKey?: string;
  /**
   * `true`: tus (resumable, in chunks); `false`: one multipart request; `'auto'` (default):
   * tus when the size is known and at least the client's `resumableThresholdBytes`.
   */
  resumable?: boolean | 'auto';
  /** Size of a stream source, when known: lets `'auto'` choose tus and tus declare the length. */
  size?: number;
  /** Called as bytes go out (throttle your rendering: it may be called often). */
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /**
   * tus: where unfinished uploads are remembered, so that a later upload of the same file
   * resumes instead of restarting (in Node, tus-js-client's `FileUrlStorage`; in browsers,
   * its localStorage by default).
   */
  urlStorage?: UrlStorage;
}

/** Resolved name, type and size of an upload. */
export interface UploadPlan {
  source: OpenedSource;
  name: string;
  contentType: string;
  size: number | undefined;
  resumable: boolean;
}

const FALLBACK_NAME = 'upload.bin';
const FALLBACK_TYPE = 'application/octet-stream';

export function planUpload(source: OpenedSource, options: UploadOptions, threshold: number): UploadPlan {
  const size = source.size ?? options.size;
  const blobType = source.kind === 'blob' ? source.blob.type : '';
  const mode = options.resumable ?? 'auto';
  return {
    source,
    name: options.name ?? source.name ?? FALLBACK_NAME,
    contentType: options.contentType ?? (blobType || FALLBACK_TYPE),
    size,
    resumable: mode === true || (mode === 'auto' && size !== undefined && size >= threshold),
  };
}
