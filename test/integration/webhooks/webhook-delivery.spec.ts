import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigModule, WebhooksConfig } from '@depot/config';
import { DatabaseModule, InvalidCursorError, KeysetCursors, TransactionRunner } from '@depot/database';
import { MetricsModule } from '@depot/observability';
import { QueueModule } from '@depot/queue';
import {
  type DeliveryAttempt,
  verifyWebhookSignature,
  WebhookDeliveryService,
  WebhookEndpointLimitError,
  WebhookEndpointsService,
  WebhookEventsService,
  WebhooksModule,
} from '@depot/webhooks';
import { WebhookSenderService } from '../../../libs/webhooks/src/delivery/webhook-sender.service';
import { WebhooksProcessor } from '../../../apps/worker/src/processors/webhooks.processor';
import { waitFor } from '../../support/wait';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** An HTTP receiver on loopback that answers each request with the next scripted status. */
async function receiver(statuses: number[], extraHeaders: Record<string, string> = {}) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method!,
        path: request.url!,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      });
      const status = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      response.writeHead(status, extraHeaders).end(status >= 400 ? 'nope' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    received,
    port,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhook delivery (worker, real database, receiver on loopback)', () => {
  let harness: WorkerHarness;
  const servers: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    harness = await startWorkerHarness('webhooks', {
      imports: [ConfigModule, DatabaseModule, QueueModule, MetricsModule, WebhooksModule],
      providers: [WebhooksProcessor],
    });
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await harness.close();
  });

  /** An endpoint for a new tenant, and one `file.ready` delivery to it, recorded and dispatched. */
  async function deliverTo(
    url: string,
    { dispatch = true } = {},
  ): Promise<{ deliveryId: string; secret: string }> {
    const tenantId = await harness.tenant();
    const secret = `whsec_${randomUUID()}`;
    await harness.dataSource.query(
      `INSERT INTO webhooks (id, tenant_id, url, events, secret) VALUES ($1, $2, $3, '{file.ready,file.failed}', $4)`,
      [randomUUID(), tenantId, url, secret],
    );
    const events = harness.module.get(WebhookEventsService);
    const [deliveryId] = await harness.module
      .get(TransactionRunner)
      .run((manager) =>
        events.record(manager, tenantId, 'file.ready', { id: randomUUID(), status: 'ready' }),
      );
    if (dispatch) await events.dispatch([deliveryId!]);
    return { deliveryId: deliveryId!, secret };
  }

  interface DeliveryRow {
    status: string;
    attempts: number;
    last_status_code: number | null;
    last_error: string | null;
    attempt_log: DeliveryAttempt[];
    delivered_at: Date | null;
    payload: Record<string, unknown>;
  }

  async function settled(deliveryId: string, timeoutMs = 15_000): Promise<DeliveryRow> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await harness.dataSource.query<DeliveryRow[]>(
        'SELECT status, attempts, last_status_code, last_error, attempt_log, delivered_at, payload FROM webhook_deliveries WHERE id = $1',
        [deliveryId],
      );
      if (row && row.status !== 'pending') return row;
      if (Date.now() > deadline)
        throw new Error(`delivery ${deliveryId} still pending: ${JSON.stringify(row)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('retries a failed delivery with backoff until the receiver accepts it, signed the same way each time', async () => {
    const hook = await receiver([500, 204]);
    servers.push(hook);
    const { deliveryId, secret } = await deliverTo(hook.url());

    const row = await settled(deliveryId);
    expect(hook.received).toHaveLength(2);
    const [first, second] = hook.received as [Received, Received];
    for (const request of hook.received) {
      expect(request).toMatchObject({ method: 'POST', path: '/hook' });
      expect(request.headers).toMatchObject({
        'content-type': 'application/json',
        'depot-event': 'file.ready',
        'depot-delivery': deliveryId,
        'depot-signature': expect.stringMatching(/^t=\d+,v1=[0-9a-f]{64}$/),
      });
      expect(
        verifyWebhookSignature(secret, request.headers['depot-signature'] as string, request.body),
      ).toEqual({
        valid: true,
        timestamp: expect.any(Number),
      });
      expect(
        verifyWebhookSignature('whsec_wrong', request.headers['depot-signature'] as string, request.body)
          .valid,
      ).toBe(false);
    }
    // The same bytes each attempt: the stored payload, the contract's envelope.
    expect(second.body).toBe(first.body);
    expect(JSON.parse(first.body)).toEqual({
      id: deliveryId,
      type: 'file.ready',
      createdAt: expect.any(String),
      data: expect.objectContaining({ status: 'ready' }),
    });
    expect(JSON.parse(first.body)).toEqual(row.payload);
    // Exponential backoff with jitter: at least half of webhooks.backoffMs (100 ms in test).
    expect(second.at - first.at).toBeGreaterThanOrEqual(50);

    expect(row).toMatchObject({ status: 'succeeded', attempts: 2, last_status_code: 204, last_error: null });
    expect(row.delivered_at).toBeInstanceOf(Date);
    expect(row.attempt_log).toEqual([
      { at: expect.any(String), statusCode: 500, error: 'HTTP 500', durationMs: expect.any(Number) },
      { at: expect.any(String), statusCode: 204, error: null, durationMs: expect.any(Number) },
    ]);
    // The row is settled before BullMQ completes the job that settled it.
    const job = await harness.jobs.queue('webhooks').getJob(deliveryId);
    await waitFor(
      `job ${deliveryId} to be completed`,
      10_000,
      async () => (await job?.getState()) === 'completed',
    );
  }, 30_000);

  it('runAndDispatch delivers the events its transaction recorded once it commits, and none of one rolled back', async () => {
    const hook = await receiver([204]);
    servers.push(hook);
    const tenantId = await harness.tenant();
    await harness.dataSource.query(
      `INSERT INTO webhooks (id, tenant_id, url, events, secret) VALUES ($1, $2, $3, '{file.ready}', $4)`,
      [randomUUID(), tenantId, hook.url(), `whsec_${randomUUID()}`],
    );
    const events = harness.module.get(WebhookEventsService);

    await expect(
      events.runAndDispatch(async (_manager, record) => {
        await record(tenantId, 'file.ready', { id: 'rolled-back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const result = await events.runAndDispatch(async (_manager, record) => {
      await record(tenantId, 'file.ready', { id: 'committed' });
      return 'changed';
    });

    expect(result).toBe('changed');
    const rows = await harness.dataSource.query<{ id: string }[]>(
      'SELECT id FROM webhook_deliveries WHERE tenant_id = $1',
      [tenantId],
    );
    expect(rows).toHaveLength(1);
    expect((await settled(rows[0]!.id)).status).toBe('succeeded');
    expect(
      hook.received.map((request) => (JSON.parse(request.body) as { data: { id: string } }).data.id),
    ).toEqual(['committed']);
  });

  it('gives up after webhooks.maxAttempts, keeping every attempt, and fails the job', async () => {
    const hook = await receiver([503]);
    servers.push(hook);
    const { deliveryId } = await deliverTo(hook.url());

    const row = await settled(deliveryId);
    expect(hook.received).toHaveLength(3);
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_status_code: 503,
      last_error: 'HTTP 503',
    });
    expect(row.delivered_at).toBeNull();
    expect(row.attempt_log.map((attempt) => attempt.statusCode)).toEqual([503, 503, 503]);
    // The job is marked failed just after the row: wait for it rather than for a time.
    const job = await harness.jobs.queue('webhooks').getJob(deliveryId);
    await waitFor(`job ${deliveryId} to be failed`, 10_000, async () => (await job?.getState()) === 'failed');
  }, 30_000);

  it('does not follow redirects: a 3xx is a failed attempt and the target is never called', async () => {
    const target = await receiver([200]);
    const hook = await receiver([302], { location: target.url('/elsewhere') });
    servers.push(target, hook);
    const { deliveryId } = await deliverTo(hook.url());

    const row = await settled(deliveryId);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, last_status_code: 302 });
    expect(row.last_error).toBe('HTTP 302: redirects are not followed');
    expect(target.received).toHaveLength(0);
  }, 30_000);

  it("pages an endpoint's deliveries with cursors bound to the tenant, and scopes a cursor's row by tenant", async () => {
    const endpoints = harness.module.get(WebhookEndpointsService);
    const cursors = harness.module.get(KeysetCursors);
    const owner = async () => {
      const tenantId = await harness.tenant();
      const webhook = await endpoints.create(tenantId, {
        url: 'http://127.0.0.1:9/',
        events: ['file.ready'],
      });
      const events = harness.module.get(WebhookEventsService);
      const record = () =>
        harness.module
          .get(TransactionRunner)
          .run((manager) => events.record(manager, tenantId, 'file.ready', { id: randomUUID() }));
      const ids = [...(await record()), ...(await record())];
      return { tenantId, webhookId: webhook.id, ids };
    };
    const older = await owner();
    const newer = await owner();
    const first = await endpoints.deliveriesOf(older.tenantId, older.webhookId, { limit: 1 });
    expect(first!.items).toHaveLength(1);
    const rest = await endpoints.deliveriesOf(older.tenantId, older.webhookId, {
      limit: 1,
      cursor: first!.nextCursor!,
    });
    // Two recorded in the same millisecond are ordered by id: the pages hold both, once each.
    expect([...first!.items, ...rest!.items].map((delivery) => delivery.id).sort()).toEqual(
      [...older.ids].sort(),
    );
    // Another tenant's cursor is refused.
    await expect(
      endpoints.deliveriesOf(newer.tenantId, newer.webhookId, { limit: 1, cursor: first!.nextCursor! }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
    // A cursor signed for the older tenant naming the newer tenant's row finds nothing.
    const forged = cursors.encode(newer.ids[0]!, { list: 'webhook_deliveries', tenantId: older.tenantId });
    expect(
      await endpoints.deliveriesOf(older.tenantId, older.webhookId, { limit: 5, cursor: forged }),
    ).toEqual({ items: [], nextCursor: null });
  });

  describe('per-tenant caps', () => {
    it('refuses an endpoint past webhooks.maxEndpointsPerTenant, even when created concurrently', async () => {
      const tenantId = await harness.tenant();
      const endpoints = harness.module.get(WebhookEndpointsService);
      const { maxEndpointsPerTenant } = harness.module.get(WebhooksConfig);
      const attempts = await Promise.allSettled(
        Array.from({ length: maxEndpointsPerTenant + 3 }, (_, index) =>
          endpoints.create(tenantId, { url: `http://127.0.0.1:9/hook-${index}`, events: ['file.ready'] }),
        ),
      );
      expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(
        maxEndpointsPerTenant,
      );
      const refused = attempts.filter((attempt) => attempt.status === 'rejected');
      expect(refused).toHaveLength(3);
      for (const attempt of refused) expect(attempt.reason).toBeInstanceOf(WebhookEndpointLimitError);
      // Another tenant is not affected.
      await expect(
        endpoints.create(await harness.tenant(), { url: 'http://127.0.0.1:9/', events: ['file.ready'] }),
      ).resolves.toMatchObject({ url: 'http://127.0.0.1:9/' });
    });

    it('records events past webhooks.maxPendingDeliveriesPerTenant as dropped and enqueues only the rest', async () => {
      const capped = await startWorkerHarness(
        'webhooks-capped',
        { imports: [ConfigModule, DatabaseModule, QueueModule, MetricsModule, WebhooksModule] },
        (config) => ({ ...config, webhooks: { ...config.webhooks, maxPendingDeliveriesPerTenant: 3 } }),
      );
      try {
        const tenantId = await capped.tenant();
        for (let index = 0; index < 2; index += 1) {
          await capped.dataSource.query(
            `INSERT INTO webhooks (id, tenant_id, url, events, secret) VALUES ($1, $2, 'http://127.0.0.1:9/', '{file.ready}', 'whsec_x')`,
            [randomUUID(), tenantId],
          );
        }
        const events = capped.module.get(WebhookEventsService);
        const record = () =>
          capped.module
            .get(TransactionRunner)
            .run((manager) => events.record(manager, tenantId, 'file.ready', { id: randomUUID() }));
        expect(await record()).toHaveLength(2);
        expect(await record()).toHaveLength(1); // the third pending one; the fourth is dropped
        expect(await record()).toHaveLength(0);
        const rows = await capped.dataSource.query<Array<{ status: string; last_error: string | null }>>(
          `SELECT status, last_error FROM webhook_deliveries WHERE tenant_id = $1 ORDER BY status`,
          [tenantId],
        );
        expect(rows.filter((row) => row.status === 'pending')).toHaveLength(3);
        expect(rows.filter((row) => row.status === 'failed')).toEqual(
          Array(3).fill({
            status: 'failed',
            last_error: 'dropped: 3 deliveries already pending for this tenant',
          }),
        );
      } finally {
        await capped.close();
      }
    });
  });

  describe('with private networks refused (webhooks.allowPrivateNetworks = false)', () => {
    const strict = (overrides: Partial<WebhooksConfig> = {}): WebhooksConfig => ({
      maxAttempts: 3,
      timeoutMs: 2000,
      backoffMs: 100,
      allowPrivateNetworks: false,
      allowPrivateNetworksInProduction: false,
      maxEndpointsPerTenant: 10,
      maxPendingDeliveriesPerTenant: 1000,
      subscriptionCacheTtlMs: 30_000,
      ...overrides,
    });

    it('refuses a hostname that resolves to a private address, at delivery time, without connecting', async () => {
      const hook = await receiver([204]);
      servers.push(hook);
      const sent = await new WebhookSenderService(strict()).send({
        url: `http://localhost:${hook.port}/hook`,
        body: '{}',
        headers: {},
      });
      expect(sent).toMatchObject({
        ok: false,
        refused: true,
        statusCode: null,
        error: 'destination refused',
      });
      expect(sent.cause).toMatch(
        /^destination localhost resolves to (127\.0\.0\.1|::1), in a refused range \(loopback\)$/,
      );
      expect(hook.received).toHaveLength(0);
    });

    it('fails such a delivery for good on its first attempt, recording why', async () => {
      const hook = await receiver([204]);
      servers.push(hook);
      // Registered where private networks were allowed; delivered by a worker that refuses them.
      const { deliveryId } = await deliverTo(`http://localhost:${hook.port}/hook`, { dispatch: false });
      const strictWorker = await startWorkerHarness(
        'webhooks-strict',
        { imports: [ConfigModule, DatabaseModule, QueueModule, MetricsModule, WebhooksModule] },
        (config) => ({ ...config, webhooks: { ...config.webhooks, allowPrivateNetworks: false } }),
      );
      try {
        const deliveries = strictWorker.module.get(WebhookDeliveryService, { strict: false });
        expect(await deliveries.attempt(deliveryId, { lastAttempt: false })).toEqual({
          result: 'failed',
          attempts: 1,
          // The tenant sees no address the host resolved to; the worker's log has it.
          error: 'destination refused',
        });
      } finally {
        await strictWorker.close();
      }
      expect(hook.received).toHaveLength(0);
      const row = await settled(deliveryId);
      expect(row).toMatchObject({
        status: 'failed',
        attempts: 1,
        last_status_code: null,
        last_error: 'destination refused',
      });
      expect(row.attempt_log).toHaveLength(1);
      expect(JSON.stringify(row.attempt_log)).not.toMatch(/127\.0\.0\.1|::1|localhost/);
    });

    it('tells the tenant what kind of network error it was, never the address behind it', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const sent = await new WebhookSenderService(strict({ allowPrivateNetworks: true })).send({
        url: `http://127.0.0.1:${port}/`,
        body: '{}',
        headers: {},
      });
      expect(sent).toMatchObject({ ok: false, statusCode: null, error: 'connection refused' });
      expect(sent.cause).toContain(`127.0.0.1:${port}`); // for the worker's log
    });

    it('times out a receiver that does not answer', async () => {
      const silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      servers.push({ close: () => new Promise<void>((resolve) => silent.close(() => resolve())) });
      const sent = await new WebhookSenderService(
        strict({ allowPrivateNetworks: true, timeoutMs: 200 }),
      ).send({
        url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`,
        body: '{}',
        headers: {},
      });
      silent.closeAllConnections();
      expect(sent).toMatchObject({
        ok: false,
        refused: false,
        statusCode: null,
        error: 'timed out after 200 ms',
      });
      expect(sent.durationMs).toBeGreaterThanOrEqual(190);
    });
  });
});
