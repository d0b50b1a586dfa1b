import { AppProcess } from '../support/app-process';
import { ADMIN_KEY, bearer, createTenant } from '../support/depot-api';
import { testEnv } from '../support/test-env';
import { waitFor } from '../support/wait';

/** What the api tells people who are not the operator: readiness, metrics, and its own logs. */
describe('information leaks', () => {
  let api: AppProcess;

  beforeAll(async () => {
    api = await AppProcess.startReady('api', {
      DEPOT__METRICS__REQUIRE_ADMIN_KEY: 'true',
      LOG_LEVEL: 'debug',
    });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('shows anyone only up or down per readiness check; latencies and errors need the admin key', async () => {
    const anyone = await api.fetch('/health/ready');
    expect(anyone.status).toBe(200);
    // The queue's check is `redis`, or `queue` on the postgres backend.
    const queueCheck = testEnv().queueBackend === 'postgres' ? 'queue' : 'redis';
    expect(await anyone.json()).toEqual({
      status: 'ok',
      checks: {
        db: { status: 'up' },
        schema: { status: 'up' },
        [queueCheck]: { status: 'up' },
        storage: { status: 'up' },
      },
    });
    const { apiKey } = await createTenant(api, 'not-the-operator');
    const tenant = (await (await api.fetch('/health/ready', { headers: bearer(apiKey.key) })).json()) as {
      checks: Record<string, object>;
    };
    expect(tenant.checks.db).toEqual({ status: 'up' });
    const operator = (await (await api.fetch('/health/ready', { headers: bearer(ADMIN_KEY) })).json()) as {
      checks: Record<string, object>;
    };
    expect(operator.checks.db).toEqual({ status: 'up', latencyMs: expect.any(Number) });
  });

  it('serves metrics only with the admin key when metrics.requireAdminKey is on', async () => {
    const anonymous = await api.fetch('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const { apiKey } = await createTenant(api, 'scraper');
    expect((await api.fetch('/metrics', { headers: bearer(apiKey.key) })).status).toBe(401);
    const operator = await api.fetch('/metrics', { headers: bearer(ADMIN_KEY) });
    expect(operator.status).toBe(200);
    expect(await operator.text()).toMatch(/^# HELP /m);
  });

  it('keeps download tokens out of the logs', async () => {
    const token = `tok${'A1b2C3d4'.repeat(12)}`;
    const response = await api.fetch(`/v1/downloads/${token}?token=${token}`);
    expect(response.status).toBe(403);
    const lines = await waitFor('the request in the log', 5000, async () => {
      const found = api.logLines().filter((line) => JSON.stringify(line).includes('/v1/downloads/'));
      return found.length >= 2 ? found : undefined; // the request line and the problem's
    });
    expect(JSON.stringify(lines)).toContain('/v1/downloads/[redacted]?token=[redacted]');
    expect(api.logs).not.toContain(token);
  });
});
