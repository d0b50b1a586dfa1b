import { AppProcess } from '../../support/app-process';
import { PrivateRedis } from '../../support/private-redis';
import { waitFor } from '../../support/wait';
import { createTenant, getFile, waitForStatus } from '../../support/depot-api';
import { streamUpload, type Upload } from './fault-client';
import { ownDatabase } from './fault-env';

jest.setTimeout(180_000);

/** Big enough that hashing it keeps a worker busy for a moment we can act in. */
const FILE_SIZE = 192 * 1024 * 1024;
/** The shipped default (config/app.yaml); the worker must be gone well within it. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * The worker dies (SIGKILL) or is stopped (SIGTERM) with a file in flight: the file is
 * not lost, and ends `ready` with the sha256 of the bytes sent. Short lock and stall-check
 * timings (queue.lockDurationMs, queue.stalledIntervalMs) make a dead worker's job
 * come back within seconds; the mechanism is BullMQ's stalled-job recovery, not the
 * scheduler (none runs here).
 */
describe('fault: the worker killed or stopped in the middle of a file', () => {
  let redis: PrivateRedis;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let api: AppProcess;
  let key: string;
  const apps: AppProcess[] = [];

  const env = (): Record<string, string> => ({
    REDIS_URL: redis.url,
    DATABASE_URL: database!.url,
    DEPOT__QUEUE__LOCK_DURATION_MS: '4000',
    DEPOT__QUEUE__STALLED_INTERVAL_MS: '1000',
    DEPOT__APP__SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  });

  async function start(name: 'api' | 'worker'): Promise<AppProcess> {
    const app = await AppProcess.start(name, env());
    apps.push(app);
    await app.waitReady();
    return app;
  }

  /** Uploads a big file and resolves once a worker has taken it (status `processing`). */
  async function uploadAndCatchInFlight(): Promise<{ id: string; upload: Upload }> {
    const upload = streamUpload(api, key, { size: FILE_SIZE });
    const response = await upload.response;
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const seen = await waitFor(
      `file ${id} to be taken by the worker`,
      30_000,
      async () => {
        const file = await getFile(api, key, id);
        return file.status !== 'pending' && file;
      },
      20,
    );
    // If this fails, the worker finished before the test could act: make FILE_SIZE bigger.
    expect(seen.status).toBe('processing');
    return { id, upload };
  }

  beforeAll(async () => {
    // Side by side; each is kept as it comes, so afterAll disposes of it if the other fails.
    await Promise.all([
      PrivateRedis.launch().then((launched) => (redis = launched)),
      ownDatabase('faults_worker').then((own) => (database = own)),
    ]);
    api = await start('api');
    key = (await createTenant(api, 'Worker Faults Ltd')).apiKey.key;
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await redis?.dispose();
    await database?.drop();
  });

  it('SIGKILL mid-file: a new worker finishes it, and the file ends ready with the right sha256', async () => {
    const doomed = await start('worker');
    const { id, upload } = await uploadAndCatchInFlight();
    // Freeze it first, so that what we kill is provably mid-file: still `processing`.
    doomed.child.kill('SIGSTOP');
    expect((await getFile(api, key, id)).status).toBe('processing');
    expect(await doomed.stop('SIGKILL')).toBeNull();

    const successor = await start('worker');
    const file = await waitForStatus(api, key, id, ['ready', 'failed'], 60_000);
    expect(file).toMatchObject({ status: 'ready', size: FILE_SIZE, sha256: await upload.sha256 });
    // The log line follows the status change: wait for it rather than read it at once.
    await waitFor('the successor to log the file ready', 10_000, async () =>
      successor.logLines().some((line) => line.fileId === id && line.outcome === 'ready'),
    );
    await successor.stop('SIGTERM');
  });

  it('SIGTERM mid-file: the worker exits 0 within the shutdown timeout, and the file is not lost', async () => {
    const stopping = await start('worker');
    const { id, upload } = await uploadAndCatchInFlight();
    stopping.child.kill('SIGTERM');
    const code = await waitFor(
      `the worker to exit within ${SHUTDOWN_TIMEOUT_MS} ms`,
      SHUTDOWN_TIMEOUT_MS,
      async () =>
        stopping.child.exitCode !== null || stopping.child.signalCode !== null
          ? { code: stopping.child.exitCode }
          : false,
    );
    expect(code).toEqual({ code: 0 });

    // It finished the file or handed it back: either way a worker that comes later ends it ready.
    const next = await start('worker');
    const file = await waitForStatus(api, key, id, ['ready', 'failed'], 60_000);
    expect(file).toMatchObject({ status: 'ready', size: FILE_SIZE, sha256: await upload.sha256 });
    const finishedBy = [stopping, next].filter((worker) =>
      worker.logLines().some((line) => line.fileId === id && line.outcome === 'ready'),
    );
    expect(finishedBy).toHaveLength(1);
    await next.stop('SIGTERM');
  });
});
