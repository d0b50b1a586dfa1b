import { createReadStream } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { toWebStream, type OpenedSource, type Platform } from './platform.js';

/** Reads of 1 MiB: per-chunk costs (stream hops, socket writes) dominate at the 64 KiB default. */
const READ_CHUNK_BYTES = 1024 * 1024;

export const nodePlatform: Platform = {
  streamsRequestBodies: true,

  async openPath(path) {
    const info = await stat(path);
    if (!info.isFile()) throw new TypeError(`Depot: ${path} is not a file`);
    // A Blob backed by the file: read from disk as it is sent, never held in memory.
    const blob = await openAsBlob(path);
    return { kind: 'path', path, blob, size: info.size, name: basename(path) };
  },

  contentStream(source: OpenedSource) {
    if (source.kind === 'path') {
      // Not Readable.toWeb: it copies every chunk into a new Uint8Array (a second pass over
      // the file's bytes, and fresh memory for each). Each read is already a buffer of its own.
      return toWebStream(createReadStream(source.path, { highWaterMark: READ_CHUNK_BYTES }));
    }
    return source.kind === 'stream' ? source.stream : source.blob.stream();
  },

  tusInput(source: OpenedSource) {
    switch (source.kind) {
      // A file read stream lets tus-js-client re-read any range, fingerprint the file by
      // path, size and mtime, and so resume it in a later process.
      case 'path':
        return createReadStream(source.path);
      case 'blob':
        return Readable.fromWeb(source.blob.stream() as NodeWebStream<Uint8Array>);
      case 'stream':
        return Readable.fromWeb(source.stream as NodeWebStream<Uint8Array>);
    }
  },
};
