import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { redactUrl } from '@depot/observability';
import type { ProblemDetails } from './problem';
import { toProblem } from './problem.mapping';
import { SECURITY_HEADERS } from './security-headers';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Headers a handler may have set for the representation it meant to send; they do not describe a problem. */
const REPRESENTATION_HEADERS = [
  'content-length',
  'content-disposition',
  'content-range',
  'content-encoding',
  'content-security-policy',
  'etag',
  'last-modified',
  'accept-ranges',
];

const DEFAULT_POLICY = SECURITY_HEADERS['content-security-policy']!;

const logger = new Logger('HttpError');

/**
 * The api's one exception filter: every error, from a guard, a pipe, a handler, Fastify's
 * body parsing or an unmatched route, leaves as RFC 9457 `application/problem+json`.
 * Mapping lives in {@link toProblem}; this only logs and writes.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception);
  }
}

/**
 * The same answer for the errors Fastify's router raises before any route, and so before
 * Nest, runs: a malformed URL (`/v1/files/%zz`), an overlong path parameter.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (
  error,
  request,
  reply,
) => {
  sendProblem(request, reply, error);
};

function sendProblem(request: FastifyRequest, reply: FastifyReply, exception: unknown): void {
  const problem = toProblem(exception);
  const { status } = problem.problem;
  // Explicit, not from the log context: GET and HEAD requests run in none (see registerRequestContext).
  const requestId = String(request.id);
  if (status >= 500) {
    logger.error({
      err: exception,
      requestId,
      method: request.method,
      url: redactUrl(request.url),
      status,
      msg: 'request failed',
    });
  } else {
    logger.debug({
      requestId,
      method: request.method,
      url: redactUrl(request.url),
      status,
      msg: problem.problem.detail,
    });
  }

  if (reply.sent || reply.raw.headersSent) {
    // A streamed body broke halfway: too late for a status, so cut the connection and let
    // the client see a truncated response rather than a complete-looking one.
    reply.raw.destroy();
    return;
  }
  // A handler's own CSP (a download's sandbox) goes with its representation; the api's
  // default policy, which every response carries, is put back.
  const hadPolicy = reply.hasHeader('content-security-policy');
  for (const header of REPRESENTATION_HEADERS) reply.removeHeader(header);
  if (hadPolicy) void reply.header('content-security-policy', DEFAULT_POLICY);
  const body: ProblemDetails = {
    ...problem.problem,
    instance: request.url.split('?')[0],
    requestId,
  };
  void reply.status(status).headers(problem.headers).type(PROBLEM_CONTENT_TYPE).send(body);
}
