import { randomUUID } from 'node:crypto';
import { ConfigModule } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import { QueueModule } from '@depot/queue';
import {
  WebhookEndpointsService,
  WebhookEventsService,
  WebhookSubscriptionsCache,
  WebhooksModule,
} from '@depot/webhooks';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness';
import { waitFor } from '../../support/wait';

/**
 * Which events a tenant's endpoints take, cached per process on the real database: read
 * once while the process listens, and forgotten when any endpoint of the tenant changes,
 * through the service or by plain SQL (the webhooks trigger's NOTIFY, as another process
 * would see it). And runAndDispatch with `only`: a transaction only when something is recorded.
 */
describe('webhook subscriptions cache (real PostgreSQL, LISTEN/NOTIFY)', () => {
  let harness: WorkerHarness;
  let cache: WebhookSubscriptionsCache;
  let events: WebhookEventsService;
  let endpoints: WebhookEndpointsService;
  let reads: number;

  beforeAll(async () => {
    harness = await startWorkerHarness(
      'webhook-subscriptions-cache',
      { imports: [ConfigModule, DatabaseModule, QueueModule, WebhooksModule] },
      // Entries outlive the test: only a notification can remove them.
      (config) => ({ ...config, webhooks: { ...config.webhooks, subscriptionCacheTtlMs: 3_600_000 } }),
    );
    cache = harness.module.get(WebhookSubscriptionsCache);
    events = harness.module.get(WebhookEventsService);
    endpoints = harness.module.get(WebhookEndpointsService);
    // Count the endpoint reads `subscribed` sends.
    const query = harness.dataSource.query.bind(harness.dataSource);
    reads = 0;
    jest.spyOn(harness.dataSource, 'query').mockImplementation((sql, parameters) => {
      if (/FROM webhooks WHERE tenant_id/.test(sql)) reads++;
      return query(sql, parameters);
    });
    await events.subscribed(randomUUID(), 'file.ready');
    await waitFor('the cache to listen', 10_000, async () => cache.active);
  });
  afterAll(() => harness.close());

  const insertEndpoint = (tenantId: string, subscribed: string[]) =>
    harness.dataSource.query(
      `INSERT INTO webhooks (id, tenant_id, url, events, secret) VALUES ($1, $2, 'https://receiver.example/hook', $3, 'whsec_test')`,
      [randomUUID(), tenantId, subscribed],
    );

  it('reads a tenant once, then answers from memory', async () => {
    const tenantId = await harness.tenant();
    const { generation } = cache.begin();
    await insertEndpoint(tenantId, ['file.failed']);
    // The insert's own notification, so that it cannot empty the entry mid-count.
    await waitFor('the insert to be notified', 5_000, async () => cache.begin().generation !== generation);
    const before = reads;
    for (let i = 0; i < 5; i++) {
      await expect(events.subscribed(tenantId, 'file.ready')).resolves.toBe(false);
      await expect(events.subscribed(tenantId, 'file.failed')).resolves.toBe(true);
    }
    expect(reads - before).toBe(1);
  });

  it('forgets a tenant whose endpoints change by plain SQL, once the notification arrives', async () => {
    const tenantId = await harness.tenant();
    await expect(events.subscribed(tenantId, 'file.ready')).resolves.toBe(false);

    await insertEndpoint(tenantId, ['file.ready']);
    await waitFor('the new endpoint to be seen', 5_000, () => events.subscribed(tenantId, 'file.ready'));

    await harness.dataSource.query(`UPDATE webhooks SET events = '{file.deleted}' WHERE tenant_id = $1`, [
      tenantId,
    ]);
    await waitFor(
      'the changed events to be seen',
      5_000,
      async () =>
        (await events.subscribed(tenantId, 'file.deleted')) &&
        !(await events.subscribed(tenantId, 'file.ready')),
    );

    await harness.dataSource.query(`DELETE FROM webhooks WHERE tenant_id = $1`, [tenantId]);
    await waitFor(
      'the removal to be seen',
      5_000,
      async () => !(await events.subscribed(tenantId, 'file.deleted')),
    );
  });

  it('forgets a tenant at once in the process that creates or removes its endpoint', async () => {
    const tenantId = await harness.tenant();
    await expect(events.subscribed(tenantId, 'file.ready')).resolves.toBe(false);
    const created = await endpoints.create(tenantId, {
      url: 'https://receiver.example/hook',
      events: ['file.ready'],
    });
    await expect(events.subscribed(tenantId, 'file.ready')).resolves.toBe(true);
    await endpoints.remove(tenantId, created.id);
    await expect(events.subscribed(tenantId, 'file.ready')).resolves.toBe(false);
  });

  it('does not keep a read that a change overtook', async () => {
    const tenantId = await harness.tenant();
    const ticket = cache.begin();
    cache.invalidate(tenantId);
    cache.store(ticket, tenantId, new Set());
    expect(cache.get(tenantId)).toBeUndefined();
  });

  describe('runAndDispatch with `only`', () => {
    const transactions = () => {
      const spy = jest.spyOn(harness.dataSource, 'transaction');
      return { count: () => spy.mock.calls.length, restore: () => spy.mockRestore() };
    };

    it('runs without a transaction when no endpoint takes the event, and in one when one does', async () => {
      const tenantId = await harness.tenant();
      await insertEndpoint(tenantId, ['file.failed']);
      const counted = transactions();
      let built = 0;
      const data = async () => {
        built++;
        return { id: 'x' };
      };
      try {
        const quiet = await events.runAndDispatch(
          async (manager, record) => {
            expect(manager.queryRunner?.isTransactionActive ?? false).toBe(false);
            await record(tenantId, 'file.ready', data);
            return 'done';
          },
          { only: { tenantId, event: 'file.ready' } },
        );
        expect(quiet).toBe('done');
        expect(counted.count()).toBe(0);
        expect(built).toBe(0);

        await events.runAndDispatch(
          async (manager, record) => {
            expect(manager.queryRunner?.isTransactionActive).toBe(true);
            await record(tenantId, 'file.failed', data);
          },
          { only: { tenantId, event: 'file.failed' } },
        );
        expect(counted.count()).toBe(1);
        expect(built).toBe(1);
        const rows = await harness.dataSource.query<{ event: string }[]>(
          'SELECT event FROM webhook_deliveries WHERE tenant_id = $1',
          [tenantId],
        );
        expect(rows.map((row) => row.event)).toEqual(['file.failed']);
      } finally {
        counted.restore();
      }
    });

    it('refuses to record an event it was not told of when it skipped the transaction', async () => {
      const tenantId = await harness.tenant();
      await expect(
        events.runAndDispatch(
          async (_manager, record) => {
            await record(tenantId, 'file.deleted', { id: 'x' });
          },
          { only: { tenantId, event: 'file.ready' } },
        ),
      ).rejects.toThrow(/another tenant or event/);
    });
  });
});
