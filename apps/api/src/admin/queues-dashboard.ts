import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiConfig } from '@depot/config';
import { JobQueueService } from '@depot/queue';
import { ADMIN_BASIC_USER, type Credentials, CredentialsService } from '../http/credentials.service';

export const QUEUES_DASHBOARD_PATH = '/admin/queues';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a state-changing dashboard request may have come from another site. A browser
 * sends Basic credentials by itself, to any page that posts to the dashboard, so a request
 * authenticated by Basic must show it comes from the dashboard's own origin
 * (`Sec-Fetch-Site: same-origin`, or an `Origin` equal to the api's). A Bearer header is
 * never added by a browser on its own, so it needs no such proof.
 */
export function isCrossSiteRisk(
  request: Pick<FastifyRequest, 'method' | 'headers' | 'protocol' | 'host'>,
  credentials: Credentials,
  publicUrl: string,
): boolean {
  if (SAFE_METHODS.has(request.method) || credentials.kind !== 'valid' || credentials.scheme === 'bearer') {
    return false;
  }
  if (request.headers['sec-fetch-site'] === 'same-origin') return false;
  const origin = request.headers.origin;
  return !(
    origin &&
    (origin === new URL(publicUrl).origin || origin === `${request.protocol}://${request.host}`)
  );
}

function problem(reply: FastifyReply, request: FastifyRequest, status: 401 | 403, detail: string) {
  if (status === 401) reply.header('WWW-Authenticate', 'Basic realm="Depot queues", charset="UTF-8"');
  return reply
    .status(status)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      title: status === 401 ? 'Unauthorized' : 'Forbidden',
      status,
      detail,
      instance: request.url,
    });
}

/**
 * Bull Board at `/admin/queues`, behind the admin key: as `Bearer <key>`, or HTTP Basic with
 * user `admin` and the key as password (so a browser can log in). Failed logins draw on the
 * rate limiter's `failedAuth` budget; every state-changing request (retry, clean, remove,
 * pause) is logged as an admin action.
 */
export async function registerQueuesDashboard(app: NestFastifyApplication): Promise<void> {
  const { publicUrl } = app.get(ApiConfig);
  const credentials = app.get(CredentialsService, { strict: false });
  const jobs = app.get(JobQueueService);
  const board = new BullBoardFastifyAdapter();
  board.setBasePath(QUEUES_DASHBOARD_PATH);
  createBullBoard({
    queues: jobs.all().map((queue) => new BullMQAdapter(queue)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Depot queues' } },
  });
  await app
    .getHttpAdapter()
    .getInstance()
    .register(async (scope) => {
      // preHandler, not onRequest: the rate limiter (a route's onRequest hook, which runs after
      // this scope's onRequest hooks) must count a failed login before it is refused.
      scope.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
        const found = await credentials.of(request);
        if (found.kind !== 'valid' || found.principal.kind !== 'admin') {
          return problem(
            reply,
            request,
            401,
            `The queue dashboard needs the admin key (Bearer, or HTTP Basic as user "${ADMIN_BASIC_USER}" with the key as password).`,
          );
        }
        if (isCrossSiteRisk(request, found, publicUrl)) {
          request.log.warn(
            { method: request.method, url: request.url },
            'cross-site dashboard request refused',
          );
          return problem(
            reply,
            request,
            403,
            'A dashboard action logged in with Basic must come from the dashboard itself (same origin); scripts send the admin key as Bearer.',
          );
        }
        if (!SAFE_METHODS.has(request.method)) {
          request.log.info(
            {
              adminAction: `${request.method} ${request.url}`,
              via: 'queues dashboard',
              scheme: found.scheme,
            },
            'admin action',
          );
        }
      });
      await scope.register(board.registerPlugin(), { prefix: QUEUES_DASHBOARD_PATH });
    });
}
