import { finished, type Readable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The body type of tus PATCH (and creation-with-upload) requests. */
export const TUS_BODY_TYPE = 'application/offset+octet-stream';

/**
 * Leaves tus bodies unread, so `TusProtocolService` streams them to storage as they arrive
 * (never buffered, and limited by the upload's own length rather than `api.bodyLimitBytes`).
 */
export function registerTusBody(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(TUS_BODY_TYPE, (_request, _payload, done) => done(null));
}

/**
 * A request body as a web stream for `@tus/server`, handing on each chunk as it came.
 * `Readable.toWeb` copies every chunk into a new `Uint8Array` (to detach it from Buffer's
 * shared pool, for a reader that might transfer it): a second copy of every uploaded byte,
 * in fresh memory that dies at once. tus's only reader (`Readable.fromWeb`, then the
 * store) transfers nothing. Otherwise as `Readable.toWeb`: paused while the stream's queue
 * is full (the request's own high-water mark), closed at the end, errored by an error or
 * a close before the end, and a cancel destroys the request.
 */
export function webBody(source: Readable): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let canceled = false;
  source.pause();
  const cleanup = finished(source, (error) => {
    cleanup();
    // A stream may emit another error after it finished; nothing listens for it then.
    source.on('error', () => undefined);
    if (error) controller.error(isPrematureClose(error) ? abortError(error) : error);
    else if (!canceled) controller.close();
  });
  source.on('data', (chunk: Buffer) => {
    controller.enqueue(chunk);
    if ((controller.desiredSize ?? 0) <= 0) source.pause();
  });
  return new ReadableStream<Uint8Array>(
    {
      start: (started) => void (controller = started),
      pull: () => void source.resume(),
      cancel: (reason) => {
        canceled = true;
        source.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: source.readableHighWaterMark }),
  );
}

function isPrematureClose(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/** A request closed before its end, as `Readable.toWeb` reports it: an abort. */
function abortError(cause: Error): Error {
  return Object.assign(new Error('The operation was aborted', { cause }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}
