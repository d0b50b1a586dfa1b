import { randomUUID } from 'node:crypto';
import { AppProcess } from '../../support/app-process';
import { bearer, type FileJson, issueKey, upload } from '../../support/depot-api';
import { type OwnDatabase, ownDatabase } from '../faults/fault-env';

jest.setTimeout(60_000);

/**
 * The buckets migration on a database that already had tenants and files: migrated back to
 * the release before it, given data, then migrated forward. Every file lands in its tenant's
 * `default` bucket, the usage counters start from the files, and the built api serves them.
 */
describe('the buckets migration on a database that already had files', () => {
  let database: OwnDatabase;
  let api: AppProcess | undefined;

  beforeAll(async () => {
    database = await ownDatabase('buckets_migration');
  });

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it("puts every existing file in its tenant's default bucket and counts what they hold", async () => {
    const dataSource = await database.dataSource();
    const tenants = [randomUUID(), randomUUID()];
    try {
      // Back to the release before buckets (past any migration added after it).
      const hasBuckets = async () =>
        ((await dataSource.query(`SELECT to_regclass('buckets') AS t`)) as [{ t: string | null }])[0].t !==
        null;
      while (await hasBuckets()) await dataSource.undoLastMigration({ transaction: 'each' });
      for (const [index, tenantId] of tenants.entries()) {
        await dataSource.query(`INSERT INTO tenants (id, name) VALUES ($1, $2)`, [tenantId, `Old ${index}`]);
        for (const [n, status, size] of [
          [1, 'ready', 100],
          [2, 'failed', 20],
          [3, 'deleted', 5000],
        ] as const) {
          await dataSource.query(
            `INSERT INTO files (id, tenant_id, name, size, content_type, status, disk, storage_key)
             VALUES ($1, $2, $3, $4, 'text/plain', $5, 'local', $6)`,
            [
              randomUUID(),
              tenantId,
              `old-${n}.txt`,
              size * (index + 1),
              status,
              `tenants/${tenantId}/files/x${n}`,
            ],
          );
        }
      }
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await dataSource.showMigrations()).toBe(false);
      const unplaced = await dataSource.query(
        `SELECT count(*)::int AS n FROM files f LEFT JOIN buckets b ON b.id = f.bucket_id
          WHERE b.name IS DISTINCT FROM 'default' OR b.tenant_id <> f.tenant_id`,
      );
      expect(unplaced).toEqual([{ n: 0 }]);
    } finally {
      await dataSource.destroy();
    }

    api = await AppProcess.startReady('api', { DATABASE_URL: database.url });
    const key = (await issueKey(api, tenants[1]!)).key;
    const listed = (await (await api.fetch('/v1/files', { headers: bearer(key) })).json()) as {
      items: FileJson[];
    };
    expect(listed.items.map((file) => [file.name, file.bucket, file.metadata])).toEqual([
      ['old-2.txt', 'default', {}],
      ['old-1.txt', 'default', {}],
    ]);
    const usage = async () => (await api!.fetch('/v1/usage', { headers: bearer(key) })).json();
    // The second tenant's sizes are doubled: 200 + 40, the deleted file not counted.
    expect(await usage()).toEqual({
      bytes: 240,
      files: 2,
      quota: { maxBytes: null, maxFiles: null },
      buckets: [{ name: 'default', bytes: 240, files: 2 }],
    });
    expect((await upload(api, key, Buffer.from('new'))).status).toBe(201);
    expect(await usage()).toMatchObject({ bytes: 243, files: 3 });
  });
});
