import { Upload, type DetailedError } from 'tus-js-client';
import { DepotError } from './errors.js';
import type { Platform } from './platform.js';
import type { Transport } from './transport.js';
import type { UploadOptions, UploadPlan } from './upload-plan.js';

const toIso = (value: Date | string): string => (value instanceof Date ? value.toISOString() : value);

/** A form field value as browsers put it in a quoted header parameter. */
const quoted = (value: string): string =>
  value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** `POST /v1/files` as one multipart request; streamed where fetch can, with progress. */
export async function uploadMultipart(
  transport: Transport,
  platform: Platform,
  plan: UploadPlan,
  options: UploadOptions,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const fields: Array<[string, string]> = options.expiresAt ? [['expiresAt', toIso(options.expiresAt)]] : [];
  if (options.metadata) fields.push(['metadata', JSON.stringify(options.metadata)]);
  const path = options.bucket ? `/v1/files?bucket=${encodeURIComponent(options.bucket)}` : '/v1/files';
  const { source } = plan;

  if (!platform.streamsRequestBodies) {
    // Browsers cannot stream a request body over HTTP/1.1: hand fetch a FormData.
    if (source.kind !== 'blob') {
      throw new TypeError(
        'Depot: in a browser, upload a Blob or File, or pass `resumable: true` for a stream',
      );
    }
    const form = new FormData();
    for (const [name, value] of fields) form.append(name, value);
    form.append('file', source.blob.slice(0, source.blob.size, plan.contentType), plan.name);
    options.onProgress?.({ bytes: 0, total: plan.size });
    const response = await transport.fetch(path, {
      method: 'POST',
      headers,
      body: form,
      signal: options.signal,
    });
    if (response.ok) options.onProgress?.({ bytes: source.size, total: plan.size });
    return response;
  }

  let bytes = 0;
  const onProgress = options.onProgress;
  onProgress?.({ bytes, total: plan.size });
  const counted = (chunk: Uint8Array): void => {
    bytes += chunk.byteLength;
    onProgress?.({ bytes, total: plan.size });
  };
  const boundary = `----depot-${crypto.randomUUID()}`;
  headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  const { head, tail } = multipartFraming(boundary, fields, plan);
  // A file's or bytes' size is exact, so the length is known before the first byte: the api
  // then refuses a file over its limit before reading it, and reserves a small one's quota
  // once. A stream's declared size is not trusted with it (a mismatch fails the request).
  if (source.kind !== 'stream') {
    headers['content-length'] = String(head.byteLength + source.size + tail.byteLength);
  }
  const init: RequestInit & { duplex: 'half' } = {
    method: 'POST',
    headers,
    body: multipartStream(head, platform.contentStream(source), tail, counted),
    signal: options.signal,
    duplex: 'half',
    // Unless the request can neither be redirected nor belong to a window, Node's fetch
    // (undici) tees the body to keep a copy for a redirect, and the copy it never reads holds
    // every chunk sent until the response: the whole file (nodejs/undici#4058). A streamed
    // body could not be sent again after a redirect anyway.
    redirect: 'error',
    window: null,
  };
  return transport.fetch(path, init);
}

/** What goes before the file's bytes (the fields, the file part's headers) and after them. */
function multipartFraming(
  boundary: string,
  fields: Array<[string, string]>,
  plan: UploadPlan,
): { head: Uint8Array; tail: Uint8Array } {
  const encoder = new TextEncoder();
  let head = '';
  for (const [name, value] of fields) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(plan.name)}"\r\n` +
    `Content-Type: ${plan.contentType.replace(/[\r\n]/g, '')}\r\n\r\n`;
  return { head: encoder.encode(head), tail: encoder.encode(`\r\n--${boundary}--\r\n`) };
}

function multipartStream(
  head: Uint8Array,
  content: ReadableStream<Uint8Array>,
  tail: Uint8Array,
  onChunk: (chunk: Uint8Array) => void,
): ReadableStream<Uint8Array> {
  const reader = content.getReader();
  let stage: 'head' | 'content' | 'done' = 'head';
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === 'head') {
        controller.enqueue(head);
        stage = 'content';
        return;
      }
      if (stage === 'content') {
        const { value, done } = await reader.read();
        if (!done) {
          controller.enqueue(value);
          onChunk(value);
          return;
        }
        stage = 'done';
        controller.enqueue(tail);
      }
      controller.close();
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** A tus upload to `/v1/uploads`, resumed from `urlStorage` when it knows this file; resolves with the file id. */
export function uploadResumable(
  transport: Transport,
  platform: Platform,
  plan: UploadPlan,
  options: UploadOptions,
): Promise<string> {
  if (plan.source.kind === 'stream' && plan.size === undefined) {
    return Promise.reject(new TypeError('Depot: a resumable upload of a stream needs its `size`'));
  }
  const metadata: Record<string, string> = { filename: plan.name, filetype: plan.contentType };
  if (options.expiresAt) metadata.expiresAt = toIso(options.expiresAt);
  if (options.bucket) metadata.bucket = options.bucket;
  if (options.metadata) metadata.metadata = JSON.stringify(options.metadata);

  return new Promise<string>((resolve, reject) => {
    const input = platform.tusInput(plan.source) as ConstructorParameters<typeof Upload>[0];
    const upload = new Upload(input, {
      endpoint: transport.url('/v1/uploads'),
      headers: { authorization: transport.authorization },
      metadata,
      // Known for every source but a stream without `size`, which is refused above.
      uploadSize: plan.size,
      chunkSize: transport.chunkSize,
      retryDelays: [0, 1000, 3000, 5000],
      ...(options.urlStorage
        ? {
            urlStorage: options.urlStorage,
            storeFingerprintForResuming: true,
            removeFingerprintOnSuccess: true,
          }
        : {}),
      onProgress: (bytes, total) => options.onProgress?.({ bytes, total }),
      onSuccess: () => {
        const id = upload.url?.split('/').pop();
        if (id) resolve(decodeURIComponent(id));
        else reject(new Error('Depot: the tus upload finished without an upload URL'));
      },
      onError: (error) => reject(tusError(error)),
    });
    options.signal?.addEventListener(
      'abort',
      () => {
        void upload.abort();
        reject(options.signal?.reason);
      },
      { once: true },
    );
    upload.findPreviousUploads().then(
      (previous) => {
        if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      },
      (error: unknown) => reject(error),
    );
  });
}

/** A tus failure with an answer becomes the API's problem; a network failure stays as it is. */
function tusError(error: Error | DetailedError): Error {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  if (!response) return error;
  return DepotError.from(response.getStatus(), response.getBody(), {
    requestId: response.getHeader('x-request-id'),
  });
}
