import { AppProcess } from '../../support/app-process';
import { ADMIN_KEY, createTenant } from '../../support/depot-api';
import { loadClient } from '../../support/depot-client';

type ClientModule = Awaited<ReturnType<typeof loadClient>>;

/** The built @depot/client's buckets, usage, copy, update and tenant quota calls against the built apps. */
describe('@depot/client: buckets, usage, copy and move, quotas', () => {
  let client: ClientModule;
  let api: AppProcess;
  let worker: AppProcess;
  let key: string;
  let tenantId: string;

  beforeAll(async () => {
    client = await loadClient();
    [api, worker] = await Promise.all([AppProcess.startReady('api'), AppProcess.startReady('worker')]);
    const tenant = await createTenant(api, 'Client buckets');
    key = tenant.apiKey.key;
    tenantId = tenant.tenantId;
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
  });

  it('manages buckets, copies and moves files, and reads usage; refusals are DepotErrors', async () => {
    const depot = new client.Depot({ baseUrl: api.url, apiKey: key });
    const created = await depot.buckets.create({ name: 'reports', allowedTypes: ['text/*'] });
    expect(created).toMatchObject({ name: 'reports', allowedTypes: ['text/*'], files: 0 });
    expect((await depot.buckets.list()).map((bucket) => bucket.name)).toEqual(['default', 'reports']);
    expect(await depot.buckets.update('reports', { retentionDays: 30 })).toMatchObject({ retentionDays: 30 });

    const file = await depot.files.upload(Buffer.from('a report'), {
      name: 'r.txt',
      contentType: 'text/plain',
    });
    for (const resumable of [false, true]) {
      const into = await depot.files.upload(Buffer.from('tagged'), {
        name: 't.txt',
        contentType: 'text/plain',
        bucket: 'reports',
        metadata: { via: String(resumable) },
        resumable,
      });
      expect(into).toMatchObject({ bucket: 'reports', metadata: { via: String(resumable) } });
      await depot.files.delete(into.id);
    }
    const ready = await depot.files.waitUntilProcessed(file.id);
    const copy = await depot.files.copy(ready.id, { bucket: 'reports', name: '2026/r.txt' });
    expect(copy).toMatchObject({
      bucket: 'reports',
      name: '2026/r.txt',
      sha256: ready.sha256,
      status: 'ready',
    });
    const moved = await depot.files.update(ready.id, { bucket: 'reports', metadata: { year: '2026' } });
    expect(moved).toMatchObject({ bucket: 'reports', metadata: { year: '2026' } });

    const usage = await depot.buckets.usage();
    expect(usage.buckets).toEqual([
      { name: 'default', bytes: 0, files: 0 },
      { name: 'reports', bytes: 16, files: 2 },
    ]);
    await expect(depot.buckets.delete('reports')).rejects.toMatchObject({ status: 409 });
    await depot.buckets.delete('reports', { force: true });
    await expect(depot.buckets.get('reports')).rejects.toBeInstanceOf(client.DepotError);

    const admin = new client.Depot({ baseUrl: api.url, apiKey: ADMIN_KEY });
    expect(await admin.admin.tenants.update(tenantId, { quota: { maxFiles: 0 } })).toMatchObject({
      quota: { maxFiles: 0, maxBytes: null },
    });
    await expect(depot.files.upload(Buffer.from('x'), { name: 'x.txt' })).rejects.toMatchObject({
      status: 409,
      type: 'urn:depot:problem:quota-max-files',
    });
  });
});
