import { Transform, type TransformCallback } from 'node:stream';
import { QuotaExceededError } from '../file.errors';

/** Bytes reserved at a time while a body streams: one UPDATE per MiB, not per chunk. */
const RESERVE_STEP_BYTES = 1024 * 1024;

/**
 * Passes a stream through, reserving quota ahead of the bytes: before a chunk goes on,
 * the bytes seen so far are covered by a reservation. It reserves a step at a time; near
 * the quota, where a whole step does not fit, it reserves exactly what has arrived. A
 * refusal ends the stream with {@link QuotaExceededError}. `reserved` is what the caller
 * must settle or give back.
 */
export class QuotaMeter extends Transform {
  reserved = 0;
  private seen = 0;

  constructor(private readonly reserve: (bytes: number) => Promise<void>) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen <= this.reserved) {
      callback(null, chunk);
      return;
    }
    this.cover().then(
      () => callback(null, chunk),
      (error: unknown) => callback(error as Error),
    );
  }

  private async cover(): Promise<void> {
    const needed = this.seen - this.reserved;
    const step = Math.max(needed, RESERVE_STEP_BYTES);
    try {
      await this.reserve(step);
      this.reserved += step;
    } catch (error) {
      if (!(error instanceof QuotaExceededError) || step === needed) throw error;
      await this.reserve(needed);
      this.reserved += needed;
    }
  }
}
