/**
 * Buffers reused from one file to the next, by size, within a cap on the bytes kept idle.
 * A buffer per file (a 256 KiB write buffer per upload, a 1 MiB read buffer per processed
 * file) is external memory the collector only frees in full collections of the whole heap,
 * which small files then set off every few dozen; reused, they cost nothing after warm-up.
 * Buffers come from `allocUnsafeSlow`: their own memory, never a slice of Node's shared pool.
 */
export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private keptBytes = 0;

  constructor(private readonly maxKeptBytes: number) {}

  /** A buffer of exactly `bytes`, with whatever it held before: the caller overwrites what it uses. */
  take(bytes: number): Buffer {
    const buffer = this.free.get(bytes)?.pop();
    if (!buffer) return Buffer.allocUnsafeSlow(bytes);
    this.keptBytes -= bytes;
    return buffer;
  }

  /** Gives back a whole buffer from {@link take} once nothing reads or writes it any more. */
  give(buffer: Buffer): void {
    if (this.keptBytes + buffer.length > this.maxKeptBytes) return;
    let list = this.free.get(buffer.length);
    if (!list) this.free.set(buffer.length, (list = []));
    list.push(buffer);
    this.keptBytes += buffer.length;
  }
}

/**
 * The process's pool: the local disk's write buffers (an api's uploads) and the worker's
 * read buffers (processing) draw from it. 24 MiB idle at most: 32 write buffers of 256 KiB
 * for as many uploads at once, and 16 read buffers of 1 MiB and a sniffed head (8 of the
 * 2 MiB that a file larger than 1 MiB is read ahead in).
 */
export const sharedBuffers = new BufferPool(24 * 1024 * 1024 + 16 * 64 * 1024);
