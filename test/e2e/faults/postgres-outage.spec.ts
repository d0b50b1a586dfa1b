import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { AppProcess } from '../../support/app-process';
import { PrivatePostgres } from '../../support/private-postgres';
import { PrivateRedis } from '../../support/private-redis';
import { testEnv } from '../../support/test-env';
import { waitFor } from '../../support/wait';
import { bearer, createTenant, getFile, waitForStatus } from '../../support/depot-api';
import { FAST_REQUEUE, streamUpload, waitDown, waitUp } from './fault-client';

jest.setTimeout(150_000);

const MiB = 1024 * 1024;

/** Every object under the storage root (not the disk's own `.depot` folder), relative to it. */
function objectsUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((path) => !path.startsWith('.depot/'));
}

async function expectProblem503(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(((await response.json()) as { status: number }).status).toBe(503);
}

/**
 * PostgreSQL stopped and started again under the three running apps (a private cluster;
 * the machine's shared server is never touched). While it is away readiness says
 * `db: down` and requests that need it answer a clean 503 problem (never a 500, never a
 * 401 for a good key); an upload refused then leaves no bytes behind. When it returns,
 * every process recovers by itself, with no restart, and a file that was being processed
 * when the database went away ends `ready`: its job runs out of attempts during the
 * outage, and `requeueStuck` enqueues it again once the database is back.
 */
describe('fault: PostgreSQL stopped and started again', () => {
  // On the postgres queue backend the queues live in the same (private) PostgreSQL: no Redis.
  const onRedis = testEnv().queueBackend === 'redis';
  let postgres: PrivatePostgres;
  let redis: PrivateRedis | undefined;
  let storageRoot: string;
  let api: AppProcess;
  let key: string;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([
      PrivatePostgres.launch(),
      onRedis ? PrivateRedis.launch() : undefined,
    ]);
    const databaseUrl = await postgres.migrate('depot_faults');
    storageRoot = mkdtempSync(join(tmpdir(), 'depot-faults-storage-'));
    for (const name of ['api', 'worker', 'scheduler'] as const) {
      apps.push(
        await AppProcess.start(name, {
          DATABASE_URL: databaseUrl,
          ...(redis ? { REDIS_URL: redis.url } : {}),
          STORAGE_LOCAL_ROOT: storageRoot,
          ...FAST_REQUEUE,
          // On the postgres queue backend the in-flight job stays active through the outage and
          // comes back only when its lock lapses: short lock and stall-check timings keep that
          // within seconds instead of the default minute.
          ...(onRedis
            ? {}
            : { DEPOT__QUEUE__LOCK_DURATION_MS: '4000', DEPOT__QUEUE__STALLED_INTERVAL_MS: '1000' }),
        }),
      );
    }
    await Promise.all(apps.map((app) => app.waitReady()));
    api = apps[0]!;
    key = (await createTenant(api, 'Database Faults Ltd')).apiKey.key;
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await Promise.all([postgres?.dispose(), redis?.dispose()]);
    if (storageRoot) rmSync(storageRoot, { recursive: true, force: true });
  });

  it('readiness 503 with db down, requests a clean 503, then recovery with no restart', async () => {
    // A file the worker is processing when the database goes away.
    const inFlight = streamUpload(api, key, { size: 96 * MiB });
    const created = await inFlight.response;
    expect(created.status).toBe(201);
    const inFlightId = ((await created.json()) as { id: string }).id;
    const worker = apps[1]!;
    await waitFor(
      'the worker to take the file',
      30_000,
      async () => (await getFile(api, key, inFlightId)).status !== 'pending',
      20,
    );
    // Hold the worker mid-file while the database goes away, then let it carry on into the outage.
    worker.child.kill('SIGSTOP');
    expect((await getFile(api, key, inFlightId)).status).toBe('processing');
    await postgres.stop();
    worker.child.kill('SIGCONT');
    for (const app of apps) {
      const report = await waitDown(app, 'db');
      expect(report.status).toBe('error');
      // Redis rides it out; the postgres queue backend is down with its database.
      if (onRedis) expect(report.checks.redis?.status).toBe('up');
      else expect(report.checks.queue?.status).toBe('down');
      expect((await app.fetch('/health/live')).status).toBe(200);
    }

    // By file id: the resumed worker may still move the in-flight file from incoming/ to files/.
    const storedIds = (): string[] =>
      objectsUnder(storageRoot)
        .map((path) => basename(path))
        .sort();
    const idsBefore = storedIds();
    await expectProblem503(await api.fetch('/v1/files', { headers: bearer(key) }));
    await expectProblem503(await api.fetch(`/v1/files/${inFlightId}`, { headers: bearer(key) }));
    const refused = streamUpload(api, key, { size: 1 * MiB });
    await expectProblem503(await refused.response);
    // The refused upload's bytes are gone (it may have been refused before any were stored).
    expect(storedIds()).toEqual(idsBefore);

    // On Redis: keep the database away until the file's job has run out of attempts; from
    // here only requeueStuck can bring it back. On the postgres queue backend the job's state
    // lives in the database that is away: it cannot fail meanwhile, and is taken up again
    // (its lock lapses, or requeueStuck) once the database is back.
    if (onRedis) {
      await waitFor('the file job to fail for good', 30_000, async () =>
        worker
          .logLines()
          .some((line) => line.jobId === inFlightId && line.willRetry === false && line.level === 'warn'),
      );
    }

    await postgres.start();
    for (const app of apps) {
      const report = await waitUp(app);
      expect(report.checks.db?.status).toBe('up');
      expect(app.child.exitCode).toBeNull();
      expect(app.logLines().filter((line) => line.msg === `${app.name} ready`)).toHaveLength(1);
    }

    expect((await api.fetch('/v1/files', { headers: bearer(key) })).status).toBe(200);
    const after = streamUpload(api, key, { size: 1 * MiB });
    const response = await after.response;
    expect(response.status).toBe(201);
    const afterId = ((await response.json()) as { id: string }).id;
    for (const [id, upload] of [
      [inFlightId, inFlight],
      [afterId, after],
    ] as const) {
      const file = await waitForStatus(api, key, id, ['ready', 'failed'], 60_000);
      expect(file).toMatchObject({ status: 'ready', sha256: await upload.sha256 });
    }
    if (onRedis) {
      expect(worker.logLines()).toContainEqual(
        expect.objectContaining({
          msg: 'stuck file enqueued again',
          fileId: inFlightId,
          previousJob: 'failed',
        }),
      );
    }
  });
});
