import { AppProcess } from '../support/app-process';
import { testEnv } from '../support/test-env';
import { waitFor } from '../support/wait';

/** The three built apps as separate processes: they boot, report ready, and stop cleanly. */
describe('the three apps', () => {
  const apps: AppProcess[] = [];
  // The first test stops its apps; the tests that only ask an api things share one, booted
  // by whichever of them runs first.
  let askedApi: Promise<AppProcess> | undefined;
  const sharedApi = (): Promise<AppProcess> =>
    (askedApi ??= AppProcess.startReady('api').then((api) => {
      apps.push(api);
      return api;
    }));

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
  });

  it('each becomes ready with per-dependency status, serves metrics, and exits 0 on SIGTERM', async () => {
    const started = await Promise.all(
      (['api', 'worker', 'scheduler'] as const).map((name) => AppProcess.startReady(name)),
    );
    apps.push(...started);
    for (const app of started) {
      const live = await app.fetch('/health/live');
      expect(live.status).toBe(200);
      const ready = await app.fetch('/health/ready');
      const report = (await ready.json()) as { status: string; checks: Record<string, { status: string }> };
      expect(report.status).toBe('ok');
      expect(report.checks.db?.status).toBe('up');
      // The queue backend's check: `redis`, or `queue` (its tables) on the postgres backend.
      expect(report.checks[testEnv().queueBackend === 'redis' ? 'redis' : 'queue']?.status).toBe('up');
      const metrics = await app.fetch('/metrics');
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await metrics.text()).toMatch(/depot_process_resident_memory_bytes/);
    }
    const codes = await Promise.all(started.map((app) => app.stop('SIGTERM')));
    expect(codes).toEqual([0, 0, 0]);
    for (const app of started) expect(app.logs).toMatch(/"msg":"stopped"/);
  });

  it('the api serves Swagger UI at /docs and OpenAPI 3.1 at /docs/openapi.json', async () => {
    const api = await sharedApi();
    expect((await api.fetch('/docs')).status).toBe(200);
    const document = (await (await api.fetch('/docs/openapi.json')).json()) as { openapi: string };
    expect(document.openapi).toBe('3.1.0');
  });

  it('echoes x-request-id and puts it on every log line of the request', async () => {
    const api = await sharedApi();
    const response = await api.fetch('/health/live', { headers: { 'x-request-id': 'trace-e2e-42' } });
    expect(response.headers.get('x-request-id')).toBe('trace-e2e-42');
    const generated = (await api.fetch('/health/live')).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const refused = (
      await api.fetch('/health/live', { headers: { 'x-request-id': 'not a sane id; drop table' } })
    ).headers;
    expect(refused.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // The log lines are written as the response goes out: wait for both, then check them.
    const lines = await waitFor("the request's two log lines", 10_000, async () => {
      const traced = api.logLines().filter((line) => line.requestId === 'trace-e2e-42');
      return traced.some((line) => line.msg === 'request completed') && traced;
    });
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
  });

  it('an invalid config stops an app before it connects, exit 1, one line per bad key', async () => {
    const app = await AppProcess.start('worker', { WORKER_PORT: 'nope', DEPOT__DATABASE__POOL_SIZE: '-1' });
    expect(await app.exitCode).toBe(1);
    expect(app.logs).toMatch(/^\s+worker\.port: .*\(from env WORKER_PORT\)$/m);
    expect(app.logs).toMatch(/^\s+database\.poolSize: .*$/m);
  });

  it('a dependency that does not answer stops the app with one line naming it and its address', async () => {
    if (testEnv().queueBackend === 'postgres') {
      // On the postgres backend the queue's dependency is its schema, which db:setup creates.
      const app = await AppProcess.start(
        'scheduler',
        { QUEUE_PREFIX: `${testEnv().queuePrefix}-unmigrated` },
        { createQueueSchema: false },
      );
      expect(await app.exitCode).toBe(1);
      expect(app.logs.trim()).toMatch(
        /^scheduler: cannot reach the queue schema in PostgreSQL at 127\.0\.0\.1:\d+\/depot_test_\w+ schema depot_test_\w+_unmigrated \(.*not initialized.*\); create it with `npm run db:setup`$/,
      );
      return;
    }
    const app = await AppProcess.start('scheduler', { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await app.exitCode).toBe(1);
    expect(app.logs.trim()).toMatch(
      /^scheduler: cannot reach Redis at 127\.0\.0\.1:1 \(.*ECONNREFUSED.*\); start one with `docker compose up -d postgres redis`$/,
    );
  });
});
