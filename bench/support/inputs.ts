import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MiB } from './timing';

/**
 * A stream of `bytes` bytes made of one random chunk repeated: memory stays at one chunk
 * whatever the size, and the data does not compress or sniff as any known type.
 */
export function patternStream(bytes: number, chunkBytes = MiB): Readable {
  const chunk = randomBytes(Math.min(chunkBytes, Math.max(bytes, 1)));
  let left = bytes;
  return new Readable({
    highWaterMark: chunkBytes,
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const size = Math.min(left, chunk.length);
      left -= size;
      this.push(size === chunk.length ? chunk : chunk.subarray(0, size));
    },
  });
}

/** Writes a file of `bytes` bytes from {@link patternStream}. */
export async function writeInputFile(path: string, bytes: number): Promise<void> {
  await pipeline(patternStream(bytes), createWriteStream(path, { highWaterMark: MiB }));
}
