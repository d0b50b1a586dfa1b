import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { type Logger, withLogContext } from '@depot/observability';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's `x-request-id` when it is sane, otherwise a fresh UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
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
