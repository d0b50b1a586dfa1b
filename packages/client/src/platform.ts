import type { Upload } from 'tus-js-client';

/**
 * What differs between Node and browsers, kept out of the shared code so that the browser
 * entry never imports a Node module.
 */

/** What `files.upload` accepts: a Blob or File, bytes, a web or Node stream, or (Node) a path. */
export type UploadSource =
  Blob | Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | string;

/** A source with what is known of it. */
export type OpenedSource =
  | { kind: 'blob'; blob: Blob; size: number; name: string | undefined }
  | { kind: 'stream'; stream: ReadableStream<Uint8Array>; size: number | undefined; name: undefined }
  | { kind: 'path'; path: string; blob: Blob; size: number; name: string };

/** tus-js-client's URL storage (where it remembers uploads to resume them). */
export type UrlStorage = NonNullable<ConstructorParameters<typeof Upload>[1]['urlStorage']>;

export interface Platform {
  /** Opens a path for reading; only Node has one. */
  openPath(path: string): Promise<OpenedSource>;
  /** The source's bytes, for a multipart body. */
  contentStream(source: OpenedSource): ReadableStream<Uint8Array>;
  /** What tus-js-client takes for this source here. */
  tusInput(source: OpenedSource): unknown;
  /** Whether fetch can send a streamed request body (Node: yes; browsers over HTTP/1.1: no). */
  streamsRequestBodies: boolean;
}

/** Wraps an async iterable (a Node stream) as a web stream, pulling on demand. */
export function toWebStream(iterable: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = iterable[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

/** Opens every kind of source except a path (which the platform handles). */
export function openInMemorySource(source: Exclude<UploadSource, string>): OpenedSource {
  if (source instanceof Uint8Array) {
    // A Blob cannot hold shared memory; bytes given to upload are the caller's own buffer.
    const blob = new Blob([source as Uint8Array<ArrayBuffer>]);
    return { kind: 'blob', blob, size: blob.size, name: undefined };
  }
  if (source instanceof Blob) {
    const name = 'name' in source && typeof source.name === 'string' && source.name ? source.name : undefined;
    return { kind: 'blob', blob: source, size: source.size, name };
  }
  if (source instanceof ReadableStream)
    return { kind: 'stream', stream: source, size: undefined, name: undefined };
  if (Symbol.asyncIterator in source) {
    return { kind: 'stream', stream: toWebStream(source), size: undefined, name: undefined };
  }
  throw new TypeError('Depot: upload takes a Blob, a Uint8Array, a stream or a path');
}
