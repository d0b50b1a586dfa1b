import { AppProcess } from '../../support/app-process';
import { ADMIN_KEY, bearer } from '../../support/depot-api';
import { waitFor } from '../../support/wait';
import { type OwnDatabase, ownDatabase } from '../faults/fault-env';

interface Readiness {
  status: string;
  checks: Record<string, { status: string; error?: string }>;
}

/**
 * A new release on a database that lacks its last migration runs but is not ready (503,
 * `schema: down`), so a rolling update keeps the old pods serving; once the migration step has
 * run it turns ready by itself, with no restart. This is how the Kubernetes apps wait for the
 * migration Job through their readiness probe.
 */
describe('readiness waits for the migrations the release needs', () => {
  let database: OwnDatabase;
  let api: AppProcess | undefined;

  beforeAll(async () => {
    database = await ownDatabase('schema_gate');
  });

  afterAll(async () => {
    await api?.stop('SIGKILL');
    await database?.drop();
  });

  it('is not ready while a migration is pending, and ready once it has run', async () => {
    const dataSource = await database.dataSource();
    try {
      // Undo migrations until the entities need one back (the newest may touch no entity table).
      do await dataSource.undoLastMigration({ transaction: 'each' });
      while ((await dataSource.driver.createSchemaBuilder().log()).upQueries.length === 0);
      expect(await dataSource.showMigrations()).toBe(true);

      api = await AppProcess.start('api', { DATABASE_URL: database.url });
      const pending = await waitFor('the api to answer readiness', 30_000, async () => {
        // The reason of a failing check is shown only to the operator.
        const response = await api!.fetch('/health/ready', { headers: bearer(ADMIN_KEY) });
        return { code: response.status, body: (await response.json()) as Readiness };
      });
      expect(pending.code).toBe(503);
      expect(pending.body.checks.db?.status).toBe('up');
      expect(pending.body.checks.schema).toMatchObject({
        status: 'down',
        error: expect.stringMatching(/run the migrations/),
      });
      // Alive all along: the probe that restarts pods must not.
      expect((await api.fetch('/health/live')).status).toBe(200);

      await dataSource.runMigrations({ transaction: 'each' });
      const ready = await waitFor('the api to turn ready', 15_000, async () => {
        const response = await api!.fetch('/health/ready');
        return response.status === 200 && ((await response.json()) as Readiness);
      });
      expect(ready.checks.schema?.status).toBe('up');
    } finally {
      await dataSource.destroy();
    }
  });
});
