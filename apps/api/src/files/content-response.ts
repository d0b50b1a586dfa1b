import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { downloadName, type FileEntity } from '@depot/files';
import type { ByteRange } from '@depot/storage';
import { contentDisposition } from '@depot/storage';
import { ifNoneMatchHits, ifRangeAllows } from '../http/conditional';
import { ProblemException } from '../http/problem';
import { parseRange } from '../http/range';

export interface ContentSource {
  file: FileEntity;
  /** Opens the bytes, or a range of them. */
  open(range?: ByteRange): Promise<Readable>;
  /** Overrides from a signed link's claims. */
  downloadName?: string;
  contentType?: string;
  /** `Cache-Control`; `private, no-cache` unless the source says otherwise (a public bucket). */
  cacheControl?: string;
}

/**
 * Sends a ready file's bytes with the validators and range support HTTP caches and
 * download managers expect: a strong `ETag` (its SHA-256), `If-None-Match` (304),
 * `Range` for one byte range (206, or 416 past the end) and `If-Range`. The file is
 * always an attachment, never rendered by the browser on the api's origin.
 *
 * It sends the reply itself (handlers take `@Res()`), as the status is its to choose.
 */
export async function sendContent(
  request: FastifyRequest,
  reply: FastifyReply,
  source: ContentSource,
): Promise<void> {
  const { file } = source;
  const size = file.size ?? 0;
  const etag = `"${file.sha256}"`;
  void reply.headers({
    etag,
    'accept-ranges': 'bytes',
    'cache-control': source.cacheControl ?? 'private, no-cache',
    'last-modified': file.updatedAt.toUTCString(),
  });

  if (ifNoneMatchHits(request.headers['if-none-match'], etag)) {
    void reply.status(304).send();
    return;
  }

  const range = ifRangeAllows(header(request.headers['if-range']), etag)
    ? parseRange(header(request.headers.range), size)
    : ({ kind: 'whole' } as const);
  if (range.kind === 'unsatisfiable') {
    throw new ProblemException({
      status: 416,
      detail: `The range starts past the end of the ${size} bytes.`,
      headers: { 'content-range': `bytes */${size}` },
    });
  }

  void reply.headers({
    'content-type': source.contentType ?? file.contentType,
    'content-disposition': contentDisposition(source.downloadName ?? downloadName(file.name)),
    // Defence in depth: even if a browser ignores the attachment, the bytes run nowhere.
    'content-security-policy': "default-src 'none'; sandbox",
    'x-content-type-options': 'nosniff',
  });
  if (range.kind === 'partial') {
    const stream = await source.open({ start: range.start, end: range.end });
    void reply
      .status(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
      .header('content-length', String(range.end - range.start + 1))
      .send(stream);
    return;
  }
  const stream = await source.open();
  void reply.status(200).header('content-length', String(size)).send(stream);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
