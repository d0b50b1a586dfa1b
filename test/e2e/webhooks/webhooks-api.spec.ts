import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AppProcess } from '../../support/app-process';
import { ADMIN_KEY, bearer, createTenant } from '../../support/depot-api';
import { testEnv } from '../../support/test-env';

const ADMIN = bearer(ADMIN_KEY);
const JSON_BODY = { 'content-type': 'application/json' };

/** The webhook endpoints api and the scheduler runs admin route, against the api process. */
describe('webhooks api', () => {
  let api: AppProcess;
  const db = new Client({ connectionString: testEnv().databaseUrl });

  beforeAll(async () => {
    [api] = await Promise.all([AppProcess.startReady('api'), db.connect()]);
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), db.end()]);
  });

  async function call(path: string, key: string | Record<string, string>, init: RequestInit = {}) {
    const auth = typeof key === 'string' ? { authorization: `Bearer ${key}` } : key;
    const headers = { ...auth, ...(init.body ? JSON_BODY : {}) };
    const response = await api.fetch(path, { ...init, headers });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
  }

  /** A new tenant and a key with the given scopes. */
  async function tenantKey(scopes: string[]): Promise<string> {
    return (await createTenant(api, 'hooks', scopes)).apiKey.key;
  }

  it('registers an endpoint with its secret shown once, lists, isolates tenants and deletes', async () => {
    const [owner, other, readOnly] = await Promise.all([
      tenantKey(['webhooks:manage']),
      tenantKey(['webhooks:manage']),
      tenantKey(['files:read']),
    ]);

    const created = await call('/v1/webhooks', owner, {
      method: 'POST',
      body: JSON.stringify({
        url: 'https://hooks.example.com/depot',
        events: ['file.ready', 'file.deleted'],
      }),
    });
    expect(created).toEqual({
      status: 201,
      body: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        url: 'https://hooks.example.com/depot',
        events: ['file.ready', 'file.deleted'],
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
        createdAt: expect.any(String),
      },
    });
    const id = created.body!.id as string;

    const listed = await call('/v1/webhooks', owner);
    expect(listed.status).toBe(200);
    expect(listed.body!.items).toEqual([
      {
        id,
        url: 'https://hooks.example.com/depot',
        events: ['file.ready', 'file.deleted'],
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    // Another tenant's endpoint does not exist for this one.
    expect((await call('/v1/webhooks', other)).body!.items).toEqual([]);
    expect((await call(`/v1/webhooks/${id}/deliveries`, other)).status).toBe(404);
    expect((await call(`/v1/webhooks/${id}`, other, { method: 'DELETE' })).status).toBe(404);
    expect((await call('/v1/webhooks', readOnly)).status).toBe(403);
    expect((await call('/v1/webhooks', {})).status).toBe(401);

    // Deliveries, newest first, with every attempt.
    const [{ tenant_id: tenantId }] = (await db.query('SELECT tenant_id FROM webhooks WHERE id = $1', [id]))
      .rows;
    const deliveryId = randomUUID();
    const attempt = { at: new Date().toISOString(), statusCode: 500, error: 'HTTP 500', durationMs: 12 };
    await db.query(
      `INSERT INTO webhook_deliveries (id, webhook_id, tenant_id, event, payload, attempts, last_status_code, last_error, attempt_log)
       VALUES ($1, $2, $3, 'file.ready', '{}', 1, 500, 'HTTP 500', $4)`,
      [deliveryId, id, tenantId, JSON.stringify([attempt])],
    );
    expect(await call(`/v1/webhooks/${id}/deliveries?limit=10`, owner)).toEqual({
      status: 200,
      body: {
        items: [
          {
            id: deliveryId,
            event: 'file.ready',
            status: 'pending',
            attempts: 1,
            lastStatusCode: 500,
            lastError: 'HTTP 500',
            attemptLog: [attempt],
            createdAt: expect.any(String),
            deliveredAt: null,
          },
        ],
        nextCursor: null,
      },
    });

    expect((await call(`/v1/webhooks/${id}`, owner, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/v1/webhooks/${id}`, owner, { method: 'DELETE' })).status).toBe(404);
    expect((await call(`/v1/webhooks/${id}/deliveries`, owner)).status).toBe(404);
    expect((await call('/v1/webhooks/not-a-uuid/deliveries', owner)).status).toBe(404);
  }, 30_000);

  it('refuses invalid endpoints with a validation problem', async () => {
    const key = await tenantKey(['webhooks:manage']);
    const refused = async (body: unknown) => {
      const response = await call('/v1/webhooks', key, { method: 'POST', body: JSON.stringify(body) });
      expect(response.status).toBe(400);
      return [...new Set((response.body!.errors as Array<{ field: string }>).map((error) => error.field))];
    };
    expect(await refused({ url: 'ftp://hooks.example.com/', events: ['file.ready'] })).toEqual(['url']);
    expect(await refused({ url: 'https://user:secret@hooks.example.com/', events: ['file.ready'] })).toEqual([
      'url',
    ]);
    expect(await refused({ url: 'https://hooks.example.com/', events: ['file.exploded'] })).toEqual([
      'events',
    ]);
    expect(await refused({ url: 'https://hooks.example.com/', events: [] })).toEqual(['events']);
    expect(await refused({ events: ['file.ready'] })).toEqual(['url']);
  }, 30_000);

  it('lists recent scheduler ticks for the admin only', async () => {
    // A tick in the past minute (whole seconds, as ticks are), with no cron's real id.
    const scheduledAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const enqueuedAt = new Date(scheduledAt.getTime() + 20);
    await db.query(
      `INSERT INTO scheduler_runs (id, task, scheduled_at, enqueued_at, job_id, claimed_by)
       VALUES ($1, 'retentionSweep', $2, $3, 'retentionSweep-e2e-listing', 'host:42')`,
      [randomUUID(), scheduledAt, enqueuedAt],
    );
    const runs = await call('/v1/admin/scheduler/runs?task=retentionSweep&limit=500', ADMIN);
    expect(runs.status).toBe(200);
    expect(runs.body!.items).toContainEqual({
      task: 'retentionSweep',
      scheduledAt: scheduledAt.toISOString(),
      enqueuedAt: enqueuedAt.toISOString(),
      jobId: 'retentionSweep-e2e-listing',
      claimedBy: 'host:42',
    });
    for (const item of runs.body!.items as Array<{ task: string }>) expect(item.task).toBe('retentionSweep');
    expect((await call('/v1/admin/scheduler/runs?task=everything', ADMIN)).status).toBe(400);
    expect((await call('/v1/admin/scheduler/runs', await tenantKey(['webhooks:manage']))).status).toBe(403);
  }, 30_000);

  it('refuses an endpoint past the per-tenant cap with a 409 problem', async () => {
    const owner = await tenantKey(['webhooks:manage']);
    const register = (index: number) =>
      call('/v1/webhooks', owner, {
        method: 'POST',
        body: JSON.stringify({ url: `https://hooks.example.com/${index}`, events: ['file.ready'] }),
      });
    for (let index = 0; index < 10; index += 1) expect((await register(index)).status).toBe(201);
    expect(await register(10)).toEqual({
      status: 409,
      body: expect.objectContaining({
        type: 'urn:depot:problem:limit-reached',
        detail: 'A tenant may register at most 10 webhook endpoints; delete one first.',
      }),
    });
  });
});
