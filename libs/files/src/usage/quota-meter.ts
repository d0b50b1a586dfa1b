import { Transform, type TransformCallback } from 'node:stream';
import { QuotaExceededError } from '../file.errors';

/** Bytes reserved at a time while a body streams, at first: one UPDATE per MiB, not per chunk. */
export const RESERVE_STEP_BYTES = 1024 * 1024;
/**
 * Later steps are an eighth of what is reserved already, up to 16 MiB: a 1 GiB body makes
 * about 90 reservations instead of 1,024, and holds at most 24 MiB beyond its bytes.
 */
const STEP_FRACTION = 8;
const MAX_STEP_BYTES = 16 * RESERVE_STEP_BYTES;

/**
 * Passes a stream through, reserving quota ahead of the bytes: before a chunk goes on,
 * the bytes seen so far are covered by a reservation. It reserves a step at a time (1 MiB,
 * growing with the body to an eighth of it, at most 16 MiB), and asks for the next step in
 * the background once half of the current one is used, so the stream does not wait a
 * database round trip per step (at most one and a half steps are held beyond the bytes).
 * Near the quota, where a whole step does not fit, it reserves exactly what has arrived,
 * waiting for it. A refusal ends the stream with
 * {@link QuotaExceededError}. {@link settled} is what the caller must settle or give back.
 */
export class QuotaMeter extends Transform {
  reserved = 0;
  private seen = 0;
  /** The reservation asked for ahead of the bytes, while it is in flight. */
  private ahead: Promise<void> | undefined;
  /** Set once a step ahead was refused: near the quota, only exact reservations are made. */
  private nearQuota = false;

  constructor(private readonly reserve: (bytes: number) => Promise<void>) {
    super();
  }

  /** What is reserved once no reservation is in flight any more: the amount to settle or give back. */
  async settled(): Promise<number> {
    while (this.ahead) await this.ahead;
    return this.reserved;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen <= this.reserved) {
      this.reserveAhead();
      callback(null, chunk);
      return;
    }
    this.cover().then(
      () => {
        this.reserveAhead();
        callback(null, chunk);
      },
      (error: unknown) => callback(error as Error),
    );
  }

  override _flush(callback: TransformCallback): void {
    this.settled().then(
      () => callback(),
      (error: unknown) => callback(error as Error),
    );
  }

  /** Starts reserving the next step when less than half a step is left, unless one is in flight. */
  private reserveAhead(): void {
    const step = this.step();
    if (this.ahead || this.nearQuota || this.reserved - this.seen >= step / 2) return;
    this.ahead = this.reserve(step).then(
      () => {
        this.reserved += step;
        this.ahead = undefined;
      },
      // Refused or failed: the bytes are not there yet; cover() decides when they are.
      () => {
        this.nearQuota = true;
        this.ahead = undefined;
      },
    );
  }

  private step(): number {
    const grown = Math.floor(this.reserved / STEP_FRACTION);
    return Math.min(Math.max(grown, RESERVE_STEP_BYTES), MAX_STEP_BYTES);
  }

  private async cover(): Promise<void> {
    await this.settled();
    const needed = this.seen - this.reserved;
    if (needed <= 0) return;
    const step = this.nearQuota ? needed : Math.max(needed, this.step());
    try {
      await this.reserve(step);
      this.reserved += step;
    } catch (error) {
      if (!(error instanceof QuotaExceededError) || step === needed) throw error;
      this.nearQuota = true;
      await this.reserve(needed);
      this.reserved += needed;
    }
  }
}
