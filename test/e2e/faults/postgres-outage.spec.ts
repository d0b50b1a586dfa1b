import { AppProcess } from '../../support/app-process';
import { PrivatePostgres } from '../../support/private-postgres';
import { waitFor } from '../../support/wait';

jest.setTimeout(120_000);

interface Readiness {
  status: string;
  checks: Record<string, { status: string; error?: string }>;
}

async function readiness(app: AppProcess): Promise<{ code: number; body: Readiness }> {
  const response = await app.fetch('/health/ready');
  return { code: response.status, body: (await response.json()) as Readiness };
}

/**
 * PostgreSQL stopped and started again under running apps (a private cluster; the
 * machine's shared server is never touched): readiness says `db: down` while it is away,
 * and every process recovers by itself when it returns, with no restart.
 */
describe('fault: PostgreSQL stopped and started again', () => {
  let postgres: PrivatePostgres;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    postgres = await PrivatePostgres.launch();
    const databaseUrl = await postgres.migrate('depot_faults');
    for (const name of ['api', 'worker', 'scheduler'] as const) {
      apps.push(await AppProcess.start(name, { DATABASE_URL: databaseUrl }));
    }
    await Promise.all(apps.map((app) => app.waitReady(60_000)));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await postgres?.dispose();
  });

  it('readiness answers 503 with db down during the outage, and 200 again after, with no restart', async () => {
    await postgres.stop();
    for (const app of apps) {
      const body = await waitFor(`${app.name} to report db down`, 10_000, async () => {
        const result = await readiness(app);
        return result.code === 503 && result.body.checks.db?.status === 'down' && result.body;
      });
      expect(body.status).toBe('error');
      expect(body.checks.redis?.status).toBe('up');
      expect((await app.fetch('/health/live')).status).toBe(200);
    }

    await postgres.start();
    for (const app of apps) {
      const body = await waitFor(`${app.name} to report ready again`, 15_000, async () => {
        const result = await readiness(app);
        return result.code === 200 && result.body;
      });
      expect(body.checks.db?.status).toBe('up');
      expect(app.child.exitCode).toBeNull();
      expect(app.logLines().filter((line) => line.msg === `${app.name} ready`)).toHaveLength(1);
    }
  });
});
