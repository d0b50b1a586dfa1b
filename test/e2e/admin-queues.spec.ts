import { type ConnectionOptions, Queue, UnrecoverableError, Worker } from 'bullmq';
import { AppProcess } from '../support/app-process';
import { ADMIN_KEY, bearer, createTenant } from '../support/depot-api';
import { testEnv } from '../support/test-env';
import { waitFor } from '../support/wait';
import { testQueueConnection } from '../support/test-queue';

const ADMIN = bearer(ADMIN_KEY);

/** The operator's queue routes and dashboard, against the api process and the run's own queues. */
describe('admin queues', () => {
  let api: AppProcess;
  const env = testEnv();
  // A prefix of its own: workers started by other e2e files would consume this file's jobs.
  const prefix = `${env.queuePrefix}-admin`;
  let connection: ConnectionOptions;

  beforeAll(async () => {
    connection = await testQueueConnection(prefix);
    api = await AppProcess.startReady('api', { QUEUE_PREFIX: prefix });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('needs the admin key: 401 without, 403 with a tenant key', async () => {
    const anonymous = await api.fetch('/v1/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const { apiKey } = await createTenant(api, 'queues-tenant');
    const forbidden = await api.fetch('/v1/admin/queues', {
      headers: bearer(apiKey.key),
    });
    expect(forbidden.status).toBe(403);
  });

  it('counts jobs per queue and moves failed jobs back to waiting', async () => {
    // A job that fails for good, on the run's own `maintenance` queue, with no Depot worker running.
    const queue = new Queue('maintenance', { connection, prefix });
    const job = await queue.add('usageReport', { scheduledAt: new Date().toISOString() }, { attempts: 1 });
    const failed = new Promise<void>((resolve) => {
      const worker = new Worker(
        'maintenance',
        async () => {
          throw new UnrecoverableError('boom');
        },
        { connection, prefix, autorun: true },
      );
      worker.on('failed', () => void worker.close().then(resolve));
    });
    await failed;

    const before = (await (await api.fetch('/v1/admin/queues', { headers: ADMIN })).json()) as {
      items: Array<{ name: string; failed: number; waiting: number }>;
    };
    expect(before.items.map((item) => item.name)).toEqual(['files', 'webhooks', 'maintenance']);
    expect(before.items.find((item) => item.name === 'maintenance')).toMatchObject({ failed: 1 });

    const retry = await api.fetch('/v1/admin/queues/maintenance/retry-failed', {
      method: 'POST',
      headers: ADMIN,
    });
    expect(retry.status).toBe(202);
    expect(await retry.json()).toEqual({ queue: 'maintenance', retried: 1 });
    expect(await (await queue.getJob(job.id!))!.getState()).toBe('waiting');
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('answers 404 for a queue that does not exist', async () => {
    const response = await api.fetch('/v1/admin/queues/nope/retry-failed', {
      method: 'POST',
      headers: ADMIN,
    });
    expect(response.status).toBe(404);
  });

  it('serves Bull Board only with the admin key, as Bearer or as the Basic password', async () => {
    const refused = await api.fetch('/admin/queues');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Basic/);
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}`;
    expect((await api.fetch('/admin/queues', { headers: { authorization: basic } })).status).toBe(200);
    const listed = await api.fetch('/admin/queues/api/queues', { headers: ADMIN });
    expect(listed.status).toBe(200);
    // The dashboard reads the queues on either queue backend.
    const { queues } = (await listed.json()) as { queues: Array<{ name: string }> };
    expect(queues.map((queue) => queue.name).sort()).toEqual(['files', 'maintenance', 'webhooks']);
    // Its datastore panel reads Redis, or PostgreSQL on the postgres backend.
    const stats = await api.fetch('/admin/queues/api/redis/stats', { headers: ADMIN });
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({ backend: env.queueBackend });
    const wrong = `Basic ${Buffer.from('admin:wrong').toString('base64')}`;
    expect((await api.fetch('/admin/queues', { headers: { authorization: wrong } })).status).toBe(401);
  });

  it('takes Basic only with the user name admin', async () => {
    const other = `Basic ${Buffer.from(`root:${ADMIN_KEY}`).toString('base64')}`;
    const refused = await api.fetch('/admin/queues', { headers: { authorization: other } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({
      status: 401,
      detail: expect.stringMatching(/user "admin"/),
    });
  });

  it('refuses cross-site dashboard actions made with Basic, and logs every action as an admin action', async () => {
    const basic = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}` };
    const retry = '/admin/queues/api/queues/maintenance/retry/failed';
    // What a page on another site can make a logged-in browser send.
    for (const headers of [
      { ...basic, origin: 'https://evil.example.net', 'sec-fetch-site': 'cross-site' },
      { ...basic, origin: 'null' },
      basic,
    ]) {
      const response = await api.fetch(retry, { method: 'PUT', headers });
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    // Reads stay open to the logged-in browser; actions from the dashboard's own page, or with Bearer, pass.
    expect((await api.fetch('/admin/queues/api/queues', { headers: basic })).status).toBe(200);
    const sameOrigin = await api.fetch(retry, {
      method: 'PUT',
      headers: { ...basic, 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.status).toBe(200);
    const ownOrigin = await api.fetch(retry, { method: 'PUT', headers: { ...basic, origin: api.url } });
    expect(ownOrigin.status).toBe(200);
    expect((await api.fetch(retry, { method: 'PUT', headers: ADMIN })).status).toBe(200);
    await waitFor('the admin actions in the log', 5000, async () =>
      api.logLines().filter((line) => line.msg === 'admin action' && line.adminAction === `PUT ${retry}`)
        .length >= 3
        ? true
        : undefined,
    );
  });
});

/** Production's default (`config/production/api.yaml`): no Bull Board, the JSON queue routes stay. */
describe('admin queues with the dashboard off', () => {
  let api: AppProcess;
  const prefix = `${testEnv().queuePrefix}-admin-off`;

  beforeAll(async () => {
    api = await AppProcess.startReady('api', {
      QUEUE_PREFIX: prefix,
      DEPOT__API__QUEUES_DASHBOARD__ENABLED: 'false',
    });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('answers 404 at /admin/queues and still serves the counts at /v1/admin/queues', async () => {
    expect((await api.fetch('/admin/queues', { headers: ADMIN })).status).toBe(404);
    expect((await api.fetch('/admin/queues/api/queues', { headers: ADMIN })).status).toBe(404);
    const counts = await api.fetch('/v1/admin/queues', { headers: ADMIN });
    expect(counts.status).toBe(200);
  });
});
