import { createHash } from 'node:crypto';
// The `core` entry: detection from bytes, with nothing Node-specific. (Its root entry exports
// only `import` conditions, which Jest's CommonJS resolver cannot follow.)
import { fileTypeFromBuffer } from 'file-type/core';

/** What the bytes of a file say about it. */
export interface ContentInspection {
  sha256: string;
  size: number;
  /** The type its magic bytes name, or null when they name none (plain text, unknown formats). */
  detectedType: string | null;
}

/**
 * Bytes kept from the start of the stream for type detection. file-type needs 4100 for
 * every format it knows by signature; the rest is headroom for container formats (zip,
 * OOXML, MP4) whose telling entries come a little later.
 */
export const SNIFF_BYTES = 64 * 1024;

/**
 * Reads a stream once, to the end: SHA-256 and size of every byte, and the type sniffed
 * from the first {@link SNIFF_BYTES}. Memory stays at one chunk plus the sniff buffer
 * whatever the size. Keeps no chunk (the sniffed head is copied), so the chunks may all be
 * one reused buffer (Disk.scan).
 *
 * `head`, when given (at least {@link SNIFF_BYTES} long), receives the sniffed bytes instead
 * of a new buffer per call: the caller lends it for the call and may reuse it after, so a
 * worker reading many small files allocates nothing per file for the sniff.
 */
export async function inspectContent(
  stream: AsyncIterable<Buffer>,
  head: Buffer = Buffer.allocUnsafe(SNIFF_BYTES),
): Promise<ContentInspection> {
  if (head.length < SNIFF_BYTES)
    throw new RangeError(`the sniff buffer holds less than ${SNIFF_BYTES} bytes`);
  const hash = createHash('sha256');
  let headBytes = 0;
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
    // A copy: a view would pin the whole (up to 1 MiB) chunk, or see it overwritten by the next.
    if (headBytes < SNIFF_BYTES) headBytes += chunk.copy(head, headBytes, 0, SNIFF_BYTES - headBytes);
  }
  return { sha256: hash.digest('hex'), size, detectedType: await detectType(head.subarray(0, headBytes)) };
}

/** The media type the bytes' signature names, or null. Never throws: odd bytes are just undetected. */
export async function detectType(bytes: Uint8Array): Promise<string | null> {
  if (bytes.length === 0) return null;
  try {
    return (await fileTypeFromBuffer(bytes))?.mime ?? null;
  } catch {
    return null;
  }
}
