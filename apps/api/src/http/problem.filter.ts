import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProblemDetails } from './problem';
import { toProblem } from './problem.mapping';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const REPRESENTATION_HEADERS = [
  'content-length',
  'content-disposition',
  'content-range',
  'content-encoding',
  'etag',
  'last-modified',
  'accept-ranges',
];

/**
 * The api's one exception filter: every error, from a guard, a pipe, a handler, Fastify's
 * body parsing or an unmatched route, leaves as RFC 9457 `application/problem+json`.
 * Mapping lives in {@link toProblem}; this only logs and writes.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = toProblem(exception);
    const { status } = problem.problem;

    if (status >= 500) {
      this.logger.error({
        err: exception,
        method: request.method,
        url: request.url,
        status,
        msg: 'request failed',
      });
    } else {
      this.logger.debug({ method: request.method, url: request.url, status, msg: problem.problem.detail });
    }

    if (reply.sent || reply.raw.headersSent) {
      // A streamed body broke halfway: too late for a status, so cut the connection and let
      // the client see a truncated response rather than a complete-looking one.
      reply.raw.destroy();
      return;
    }
    // Headers a handler set for the representation it meant to send do not describe this one.
    for (const header of REPRESENTATION_HEADERS) reply.removeHeader(header);
    const body: ProblemDetails = {
      ...problem.problem,
      instance: request.url.split('?')[0],
      requestId: String(request.id),
    };
    void reply.status(status).headers(problem.headers).type(PROBLEM_CONTENT_TYPE).send(body);
  }
}
