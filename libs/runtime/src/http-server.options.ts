import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { hasExplicitLogContext, type Logger, openLogContext } from '@depot/observability';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's `x-request-id` when it is sane, otherwise a fresh UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a broken request line,
 * headers over the size limit, a header timeout) still get a problem+json answer.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const status =
    error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const title = STATUS_CODES[status] ?? 'Bad Request';
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status,
    detail:
      status === 431 ? 'The request headers are too large.' : 'The request could not be parsed as HTTP.',
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Fastify options shared by the three apps' HTTP servers. */
export function fastifyOptions(
  logger: Logger,
  extra: Pick<
    FastifyServerOptions,
    'bodyLimit' | 'requestTimeout' | 'trustProxy' | 'maxParamLength' | 'frameworkErrors'
  > = {},
): FastifyServerOptions {
  return {
    loggerInstance: logger,
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    clientErrorHandler: answerClientError,
    ...extra,
  };
}

/** Methods whose requests start no background work: their few log lines take the id explicitly. */
const READS = new Set(['GET', 'HEAD']);

/**
 * Echoes the request id. A request that can start work (anything but GET and HEAD: an
 * upload enqueues its processing) runs inside a log context that carries the id until its
 * response ends, so that work's jobs and every log line written while serving it have the
 * same `requestId`. GET and HEAD requests open none: a log context costs every request of
 * the process while one is open (see `openLogContext`), and reads log only through
 * Fastify's request logger (which binds `requestId` itself) and the error filter, which
 * passes the id explicitly. Nor do the routes marked `EXPLICIT_LOG_CONTEXT` (the multipart
 * upload, the api's busiest write), whose handler gives the id to what logs and enqueues:
 * with 32 uploads in flight one was always open, its hooks ran on every promise of the
 * process, and an upload promoted a seventh more to the old space
 * (bench/api-small-uploads.bench.ts).
 */
export function registerRequestContext(server: FastifyInstance): void {
  server.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    if (READS.has(request.method) || hasExplicitLogContext(request.routeOptions.config)) {
      done();
      return;
    }
    // 'close' comes once per response, after it is sent or when the client is gone.
    reply.raw.once('close', openLogContext({ requestId: request.id }, done));
  });
}

/** How much of an unread body is drained after its answer before the connection is cut instead. */
export interface UnreadBodyDrainLimits {
  maxBytes: number;
  maxMs: number;
}

/**
 * Enough for any client that stops sending once it reads an early answer, or that sends a
 * modest body whole; not enough for one that sends without end to hold a connection (the
 * request timeout, minutes for uploads, would otherwise be the only bound). nginx's
 * lingering close waits 30 s the same way.
 */
export const UNREAD_BODY_DRAIN_LIMITS: UnreadBodyDrainLimits = { maxBytes: 32 * 1024 * 1024, maxMs: 30_000 };

/**
 * An answer sent before its request's body was read to the end (a 413 at the size limit, a
 * 410 for a used link, a JSON body over Fastify's limit) must not leave the rest of that
 * body on the connection. Node drains a body nobody started reading, but a handler that
 * stopped halfway leaves the stream paused: nothing reads the rest, and the client's next
 * request on that keep-alive connection hangs until the keep-alive timeout resets it. So
 * the rest is read and discarded, and the connection serves the next request.
 *
 * Closing it instead would cut a client still sending before it reads the answer (EPIPE
 * or a reset in place of the 413). That is why the `Connection: close` Fastify puts on a
 * body it refused (over its limit, or unparsable, before the end) is taken off here. One
 * that `closing()` stands for (the graceful shutdown's) is kept: the server is letting its
 * connections go.
 *
 * The drain is bounded: past `limits.maxBytes` more bytes or `limits.maxMs`, the connection
 * is cut (once the answer is written), so an endless body cannot hold it.
 */
export function registerUnreadBodyDrain(
  server: FastifyInstance,
  closing: () => boolean,
  limits: UnreadBodyDrainLimits = UNREAD_BODY_DRAIN_LIMITS,
): void {
  server.addHook('onSend', (request, reply, payload, done) => {
    const body = request.raw;
    if (!body.complete && !body.destroyed) {
      if (!closing() && reply.getHeader('connection') === 'close') reply.removeHeader('connection');
      drain(body, reply.raw, limits);
    }
    done(null, payload);
  });
}

function drain(body: IncomingMessage, response: ServerResponse, limits: UnreadBodyDrainLimits): void {
  let bytes = 0;
  const stop = (): void => {
    clearTimeout(timer);
    body.off('data', count);
    body.off('end', stop);
    body.off('close', stop);
  };
  const cut = (): void => {
    stop();
    const socket = body.socket;
    if (response.writableFinished) socket.destroy();
    else response.once('finish', () => socket.destroy());
  };
  const count = (chunk: Buffer): void => {
    bytes += chunk.length;
    if (bytes > limits.maxBytes) cut();
  };
  const timer = setTimeout(cut, limits.maxMs);
  timer.unref();
  body.on('data', count);
  body.once('end', stop);
  body.once('close', stop);
  body.resume();
}
