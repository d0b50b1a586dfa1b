import { Transform, type TransformCallback } from 'node:stream';
import { FileTooLargeError } from './file.errors';

/**
 * Passes bytes through and counts them; fails with {@link FileTooLargeError} on the first
 * chunk that takes the total past `maxBytes`, so an oversized upload stops while it
 * streams, after at most one chunk beyond the limit.
 */
export class ByteLimit extends Transform {
  bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new FileTooLargeError(this.maxBytes));
      return;
    }
    callback(null, chunk);
  }
}
