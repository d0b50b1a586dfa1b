import { AppProcess } from '../../support/app-process';
import { PrivateRedis } from '../../support/private-redis';
import { waitFor } from '../../support/wait';

interface Readiness {
  status: string;
  checks: Record<string, { status: string; error?: string }>;
}

async function readiness(app: AppProcess): Promise<{ code: number; body: Readiness }> {
  const response = await app.fetch('/health/ready');
  return { code: response.status, body: (await response.json()) as Readiness };
}

jest.setTimeout(120_000);

/**
 * Redis stopped and started again under running apps (a private redis-server; the
 * machine's shared one is never touched): readiness says `redis: down` while it is away,
 * and every process recovers by itself when it returns, with no restart.
 */
describe('fault: Redis stopped and started again', () => {
  let redis: PrivateRedis;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    redis = await PrivateRedis.launch();
    for (const name of ['api', 'worker', 'scheduler'] as const) {
      apps.push(await AppProcess.start(name, { REDIS_URL: redis.url }));
    }
    await Promise.all(apps.map((app) => app.waitReady(60_000)));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await redis?.dispose();
  });

  it('readiness answers 503 with redis down during the outage, and 200 again after, with no restart', async () => {
    await redis.stop();
    for (const app of apps) {
      const body = await waitFor(`${app.name} to report redis down`, 10_000, async () => {
        const result = await readiness(app);
        return result.code === 503 && result.body.checks.redis?.status === 'down' && result.body;
      });
      expect(body.status).toBe('error');
      expect(body.checks.db?.status).toBe('up');
      // Liveness is not readiness: the process is fine, only a dependency is away.
      expect((await app.fetch('/health/live')).status).toBe(200);
    }

    await redis.start();
    for (const app of apps) {
      const body = await waitFor(`${app.name} to report ready again`, 15_000, async () => {
        const result = await readiness(app);
        return result.code === 200 && result.body;
      });
      expect(body.checks.redis?.status).toBe('up');
      expect(app.child.exitCode).toBeNull();
      expect(app.logLines().filter((line) => line.msg === `${app.name} ready`)).toHaveLength(1);
    }
  });
});
