import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthConfig } from '@depot/config';
import { JobQueue } from '@depot/queue';

export const QUEUES_DASHBOARD_PATH = '/admin/queues';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The admin key as `Bearer <key>`, or as the password of HTTP Basic (so a browser can log in). */
export function isAdminAuthorization(header: string | undefined, adminApiKey: string): boolean {
  if (!header) return false;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return sameSecret(value, adminApiKey);
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return sameSecret(decoded.slice(decoded.indexOf(':') + 1), adminApiKey);
  }
  return false;
}

/** Bull Board at `/admin/queues`, behind the admin key. */
export async function registerQueuesDashboard(app: NestFastifyApplication): Promise<void> {
  const { adminApiKey } = app.get(AuthConfig);
  const jobs = app.get(JobQueue);
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
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (isAdminAuthorization(request.headers.authorization, adminApiKey)) return;
        await reply
          .status(401)
          .header('WWW-Authenticate', 'Basic realm="Depot queues", charset="UTF-8"')
          .type('application/problem+json')
          .send({
            type: 'about:blank',
            title: 'Unauthorized',
            status: 401,
            detail: 'The queue dashboard needs the admin key (Bearer, or as the HTTP Basic password).',
            instance: request.url,
          });
      });
      await scope.register(board.registerPlugin(), { prefix: QUEUES_DASHBOARD_PATH });
    });
}
