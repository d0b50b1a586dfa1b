import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import { AppProcess } from '../../support/app-process';
import { PrivateRedis } from '../../support/private-redis';
import { waitFor } from '../../support/wait';
import { createTenant } from '../../support/depot-api';
import { streamUpload } from './fault-client';
import { ownDatabase } from './fault-env';

jest.setTimeout(120_000);

const SHUTDOWN_TIMEOUT_MS = 6000;
/**
 * The shutdown bound while an upload goes on to its end: 56 MiB more must cross loopback and
 * reach the disk first, which a loaded machine may not do in 6 s. The api exits as soon as
 * the upload is done, so a longer bound costs nothing.
 */
const FINISHING_SHUTDOWN_TIMEOUT_MS = 60_000;
const MiB = 1024 * 1024;

/** Every regular file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/**
 * SIGTERM to the api while an upload is streaming: the process exits 0 within
 * `app.shutdownTimeoutMs`, an upload that goes on to the end is kept (its row has its
 * object), and one that does not is dropped whole: no `pending` row without an object,
 * and no object or staged part without a row.
 */
describe('fault: SIGTERM to the api during an upload', () => {
  let redis: PrivateRedis;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let storageRoot: string;
  let key: string;
  const apps: AppProcess[] = [];
  const releases: Array<() => void> = [];
  /** The first test's api, booted with the setup's, which only makes the tenant through it. */
  let finishingApi: AppProcess;

  async function startApi(shutdownTimeoutMs = SHUTDOWN_TIMEOUT_MS): Promise<AppProcess> {
    const api = await AppProcess.start('api', {
      REDIS_URL: redis.url,
      DATABASE_URL: database!.url,
      STORAGE_LOCAL_ROOT: storageRoot,
      DEPOT__APP__SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
    });
    apps.push(api);
    await api.waitReady();
    return api;
  }

  async function rows(): Promise<Array<{ id: string; status: string; storage_key: string }>> {
    const client = new Client({ connectionString: database!.url });
    await client.connect();
    try {
      return (await client.query('SELECT id, status, storage_key FROM files')).rows;
    } finally {
      await client.end();
    }
  }

  /** Sends SIGTERM and waits (bounded) for the exit; resolves to the exit code. */
  async function terminate(api: AppProcess, shutdownTimeoutMs = SHUTDOWN_TIMEOUT_MS): Promise<number | null> {
    api.child.kill('SIGTERM');
    const exited = await waitFor(
      `the api to exit within ${shutdownTimeoutMs} ms`,
      shutdownTimeoutMs,
      async () =>
        api.child.exitCode !== null || api.child.signalCode !== null ? { code: api.child.exitCode } : false,
    );
    return exited.code;
  }

  /** An upload that sends `sent` bytes of a bigger file, then waits; resolves once they are on the wire. */
  function pausedUpload(api: AppProcess, sent: number) {
    let release!: () => void;
    const resume = new Promise<void>((resolve) => (release = resolve));
    releases.push(release);
    const upload = streamUpload(api, key, { size: 64 * MiB, pauseAfter: sent, resume });
    const outcome = upload.response.then(
      async (response) => ({ status: response.status, body: await response.text() }),
      (error: Error) => ({ status: 0, body: error.message }),
    );
    return { upload, outcome, release };
  }

  beforeAll(async () => {
    // Side by side; each is kept as it comes, so afterAll disposes of it if the other fails.
    await Promise.all([
      PrivateRedis.launch().then((launched) => (redis = launched)),
      ownDatabase('faults_api').then((own) => (database = own)),
    ]);
    storageRoot = mkdtempSync(join(tmpdir(), 'depot-faults-storage-'));
    finishingApi = await startApi(FINISHING_SHUTDOWN_TIMEOUT_MS);
    key = (await createTenant(finishingApi, 'Shutdown Faults Ltd')).apiKey.key;
  });

  afterAll(async () => {
    for (const release of releases) release();
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await redis?.dispose();
    await database?.drop();
    if (storageRoot) rmSync(storageRoot, { recursive: true, force: true });
  });

  afterEach(async () => {
    // Whatever happened, the database and the disk agree.
    const found = await rows();
    for (const row of found.filter((file) => file.status === 'pending')) {
      expect(existsSync(join(storageRoot, row.storage_key))).toBe(true);
    }
    const objects = filesUnder(storageRoot).filter((path) => !path.startsWith('.depot/meta/'));
    expect(objects.sort()).toEqual(found.map((row) => row.storage_key).sort());
  });

  it('an upload that keeps sending is finished and kept, and the api exits 0', async () => {
    const api = finishingApi;
    const { upload, outcome, release } = pausedUpload(api, 8 * MiB);
    await upload.paused;
    const code = terminate(api, FINISHING_SHUTDOWN_TIMEOUT_MS);
    await waitFor('the api to begin shutting down', 10_000, async () =>
      api.logLines().some((line) => line.msg === 'shutting down'),
    );
    release();
    expect(await code).toBe(0);
    const answer = await outcome;
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'pending', size: 64 * MiB });
  });

  it('an upload that stalls is cut off and dropped whole, and the api still exits 0 in time', async () => {
    const api = await startApi();
    const { upload, outcome } = pausedUpload(api, 8 * MiB);
    await upload.paused;
    expect(await terminate(api)).toBe(0);
    const answer = await outcome;
    expect(answer.status === 0 || answer.status >= 500).toBe(true);
  });
});
