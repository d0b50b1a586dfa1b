import { DepotError } from './errors.js';
import { openInMemorySource, type Platform, type UploadSource } from './platform.js';
import type { Transport } from './transport.js';
import type {
  CopyTarget,
  DepotFile,
  FileChanges,
  FileLink,
  FilePage,
  FileStatus,
  ProgressListener,
} from './types.js';
import { planUpload, type UploadOptions } from './upload-plan.js';
import { uploadMultipart, uploadResumable } from './upload.js';

export interface ListFilesQuery {
  status?: Exclude<FileStatus, 'deleted'>;
  /** Only files of this bucket. */
  bucket?: string;
  /** Only names starting with this (`/` separates folders). */
  prefix?: string;
  /** Only names containing this, any case. */
  q?: string;
  /** Page size (the server caps it). */
  limit?: number;
  /** Start after this page (the `nextCursor` of a previous page). */
  cursor?: string;
}

export interface DownloadOptions {
  /** Bytes `start` to `end` inclusive (`end` omitted: to the end). */
  range?: { start: number; end?: number };
  /** The ETag you hold: an unchanged file answers 304 with no body. */
  ifNoneMatch?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface Download {
  /** 200 whole file, 206 a range, 304 unchanged (`ifNoneMatch`). */
  status: 200 | 206 | 304;
  /** The bytes, streamed (empty for 304). */
  body: ReadableStream<Uint8Array>;
  /** Bytes in `body`. */
  contentLength: number | undefined;
  contentType: string | undefined;
  /** The strong ETag: the quoted SHA-256 of the whole file. */
  etag: string | undefined;
  /** The name from `Content-Disposition`. */
  fileName: string | undefined;
  /** For 206: which bytes of how many. */
  range: { start: number; end: number; total: number } | undefined;
}

export class FilesApi {
  constructor(
    private readonly transport: Transport,
    private readonly platform: Platform,
  ) {}

  /**
   * Uploads a Blob or File, bytes, a stream, or (Node) a file path. Small uploads are one
   * multipart request; large ones (see `resumable`) go through tus and resume after an
   * interruption. Resolves with the file, `pending` until the worker has processed it.
   */
  async upload(source: UploadSource, options: UploadOptions = {}): Promise<DepotFile> {
    const opened =
      typeof source === 'string' ? await this.platform.openPath(source) : openInMemorySource(source);
    const plan = planUpload(opened, options, this.transport.resumableThresholdBytes);
    if (plan.resumable) {
      const id = await uploadResumable(this.transport, this.platform, plan, options);
      return this.get(id);
    }
    const response = await uploadMultipart(this.transport, this.platform, plan, options);
    if (!response.ok) throw await DepotError.fromResponse(response);
    return (await response.json()) as DepotFile;
  }

  /** One page of files, newest first. */
  listPage(query: ListFilesQuery = {}): Promise<FilePage> {
    return this.transport.data(this.transport.api.GET('/v1/files', { params: { query } }));
  }

  /** Every file (newest first), fetching page after page as you iterate. */
  async *list(query: ListFilesQuery = {}): AsyncGenerator<DepotFile, void, undefined> {
    let cursor = query.cursor;
    do {
      const page = await this.listPage({ ...query, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  get(id: string): Promise<DepotFile> {
    return this.transport.data(this.transport.api.GET('/v1/files/{id}', { params: { path: { id } } }));
  }

  /** Renames, moves to another bucket (its rules apply) or replaces the metadata. */
  update(id: string, changes: FileChanges): Promise<DepotFile> {
    return this.transport.data(
      this.transport.api.PATCH('/v1/files/{id}', { params: { path: { id } }, body: changes }),
    );
  }

  /** A server-side copy of a ready file, into a bucket (its own by default), as a new ready file. */
  copy(id: string, target: CopyTarget = {}): Promise<DepotFile> {
    return this.transport.data(
      this.transport.api.POST('/v1/files/{id}/copy', { params: { path: { id } }, body: target }),
    );
  }

  /**
   * Polls the file until the worker has processed it (`ready` or `failed`; `deleted` if it
   * went meanwhile) and resolves with it. Rejects after `timeoutMs` (default 5 minutes).
   */
  async waitUntilProcessed(
    id: string,
    options: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<DepotFile> {
    const interval = options.intervalMs ?? 500;
    const deadline = Date.now() + (options.timeoutMs ?? 300_000);
    for (;;) {
      const file = await this.get(id);
      if (file.status !== 'pending' && file.status !== 'processing') return file;
      options.signal?.throwIfAborted();
      if (Date.now() + interval > deadline) {
        throw new Error(`Depot: file ${id} is still ${file.status} after ${options.timeoutMs ?? 300_000} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }

  /** The file's bytes as a stream; a range gives 206. Refused (409) until the file is ready. */
  async download(id: string, options: DownloadOptions = {}): Promise<Download> {
    const headers: Record<string, string> = {};
    if (options.range) headers.range = `bytes=${options.range.start}-${options.range.end ?? ''}`;
    if (options.ifNoneMatch) headers['if-none-match'] = options.ifNoneMatch;
    const response = await this.transport.fetch(`/v1/files/${encodeURIComponent(id)}/content`, {
      headers,
      signal: options.signal,
    });
    if (response.status !== 200 && response.status !== 206 && response.status !== 304) {
      throw await DepotError.fromResponse(response);
    }
    const length = response.headers.get('content-length');
    const contentLength = length === null ? undefined : Number(length);
    let body = response.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
    const onProgress = options.onProgress;
    if (onProgress) {
      let bytes = 0;
      onProgress({ bytes, total: contentLength });
      body = body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            bytes += chunk.byteLength;
            controller.enqueue(chunk);
            onProgress({ bytes, total: contentLength });
          },
        }),
      );
    }
    return {
      status: response.status,
      body,
      contentLength,
      contentType: response.headers.get('content-type') ?? undefined,
      etag: response.headers.get('etag') ?? undefined,
      fileName: fileNameOf(response.headers.get('content-disposition')),
      range: rangeOf(response.headers.get('content-range')),
    };
  }

  /** A URL that downloads the file without a key until it expires. */
  link(id: string, options: { expiresInSeconds?: number } = {}): Promise<FileLink> {
    return this.transport.data(
      this.transport.api.POST('/v1/files/{id}/links', { params: { path: { id } }, body: options }),
    );
  }

  /** Deletes the file: later reads are 404 and the worker purges the bytes. */
  delete(id: string): Promise<void> {
    return this.transport.done(this.transport.api.DELETE('/v1/files/{id}', { params: { path: { id } } }));
  }
}

function rangeOf(header: string | null): Download['range'] {
  const match = header ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header) : null;
  return match ? { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]) } : undefined;
}

/** `filename*=UTF-8''…` (RFC 6266) when present, else `filename="…"`. */
function fileNameOf(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain =
    /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header) ?? /filename\s*=\s*([^;\s]+)/i.exec(header);
  return plain?.[1]?.replace(/\\(.)/g, '$1');
}
