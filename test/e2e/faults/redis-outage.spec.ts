import { AppProcess } from '../../support/app-process';
import { PrivateRedis } from '../../support/private-redis';
import { ADMIN_KEY, bearer, createTenant, getFile, waitForStatus } from '../../support/depot-api';
import { FAST_REQUEUE, streamUpload, type Upload, waitDown, waitUp } from './fault-client';
import { ownDatabase } from './fault-env';

jest.setTimeout(120_000);

const MiB = 1024 * 1024;

/**
 * Redis stopped and started again under the three running apps (a private redis-server;
 * the machine's shared one is never touched). While it is away readiness says
 * `redis: down`, uploads are still taken (the row is committed; the enqueue fails at once)
 * or refused with a clean 503, and nothing answers 500 or hangs. When it returns every
 * process recovers by itself, with no restart: what was uploaded meanwhile is brought back
 * by `requeueStuck` and processed, and so is a new upload.
 */
describe('fault: Redis stopped and started again', () => {
  let redis: PrivateRedis;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let api: AppProcess;
  let key: string;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    // Side by side; each is kept as it comes, so afterAll disposes of it if the other fails.
    await Promise.all([
      PrivateRedis.launch().then((launched) => (redis = launched)),
      ownDatabase('faults_redis').then((own) => (database = own)),
    ]);
    for (const name of ['api', 'worker', 'scheduler'] as const) {
      apps.push(
        await AppProcess.start(name, { REDIS_URL: redis.url, DATABASE_URL: database!.url, ...FAST_REQUEUE }),
      );
    }
    await Promise.all(apps.map((app) => app.waitReady()));
    api = apps[0]!;
    key = (await createTenant(api, 'Redis Faults Ltd')).apiKey.key;
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await redis?.dispose();
    await database?.drop();
  });

  it('readiness 503 with redis down, uploads taken or refused cleanly, then recovery with no restart', async () => {
    await redis.stop();
    for (const app of apps) {
      const report = await waitDown(app, 'redis');
      expect(report.status).toBe('error');
      expect(report.checks.db?.status).toBe('up');
      // Liveness is not readiness: the process is fine, only a dependency is away.
      expect((await app.fetch('/health/live')).status).toBe(200);
      // A scrape still answers (queue depths are skipped, not waited for).
      const metrics = await app.fetch('/metrics', { signal: AbortSignal.timeout(5000) });
      expect(metrics.status).toBe(200);
    }

    // Uploads during the outage: accepted (to be processed later) or a clean 503, never a 500.
    const duringOutage: Array<{ id: string; upload: Upload }> = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const upload = streamUpload(api, key, { size: 2 * MiB });
      const response = await upload.response;
      if (response.status === 201) {
        duringOutage.push({ id: ((await response.json()) as { id: string }).id, upload });
      } else {
        expect(response.status).toBe(503);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(((await response.json()) as { status: number }).status).toBe(503);
      }
    }
    for (const { id } of duringOutage) expect((await getFile(api, key, id)).status).toBe('pending');
    // Reads do not need Redis.
    expect((await api.fetch('/v1/files', { headers: bearer(key) })).status).toBe(200);
    // Queue administration answers a clean 503, not a 500 or a hang.
    const queues = await api.fetch('/v1/admin/queues', {
      headers: bearer(ADMIN_KEY),
      signal: AbortSignal.timeout(10_000),
    });
    expect(queues.status).toBe(503);
    expect(queues.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    await redis.start();
    for (const app of apps) {
      const report = await waitUp(app);
      expect(report.checks.redis?.status).toBe('up');
      expect(app.child.exitCode).toBeNull();
      expect(app.logLines().filter((line) => line.msg === `${app.name} ready`)).toHaveLength(1);
    }

    // What was taken during the outage is processed now (requeueStuck), and so is a new upload.
    const after = streamUpload(api, key, { size: 2 * MiB });
    const response = await after.response;
    expect(response.status).toBe(201);
    const newId = ((await response.json()) as { id: string }).id;
    for (const { id, upload } of [...duringOutage, { id: newId, upload: after }]) {
      const file = await waitForStatus(api, key, id, ['ready', 'failed'], 30_000);
      expect(file).toMatchObject({ status: 'ready', sha256: await upload.sha256 });
    }
  });
});
