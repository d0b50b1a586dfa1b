import { randomUUID } from 'node:crypto';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { type Logger, withLogContext } from '@depot/observability';

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

/**
 * Echoes the request id and runs the rest of the request inside a log context that
 * carries it, so every log line written while serving it has the same `requestId`.
 */
export function registerRequestContext(server: FastifyInstance): void {
  server.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    withLogContext({ requestId: request.id }, done);
  });
}

/**
 * How much of a body left unread when its answer is sent is read and discarded so that the
 * connection can serve the next request; past it the connection closes after the answer.
 * The rule and the figure are Go's `net/http` server's.
 */
export const UNREAD_BODY_DRAIN_BYTES = 256 * 1024;

/**
 * An answer sent before its request's body was read to the end (a 413 at the size limit, a
 * 415 on the declared type, a 410 for a used link) must not leave the rest of that body on
 * the connection: the server would read it as the next request, or, with the body stream
 * paused by a handler that stopped reading, never read again, so that the client's next
 * request on the connection hangs until the keep-alive timeout resets it. A small rest is
 * read and discarded (the connection stays open); a large one closes the connection after
 * the answer, as Fastify does for a body its parser refused.
 */
export function registerUnreadBodyDrain(server: FastifyInstance): void {
  server.addHook('onSend', (request, reply, payload, done) => {
    const body = request.raw;
    if (!body.complete && !body.destroyed) {
      const declared = Number(body.headers['content-length']);
      if (!(declared <= UNREAD_BODY_DRAIN_BYTES)) void reply.header('connection', 'close');
      body.resume();
    }
    done(null, payload);
  });
}
