import { randomUUID } from 'node:crypto';
import { ConfigModule, type DepotConfig } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import { FilesModule, PostgresUploadLocker, UPLOAD_LOCKED } from '@depot/files';
import { QueueModule } from '@depot/queue';
import { StorageModule } from '@depot/storage';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness';

/**
 * The lock that serialises writes to one upload, on the real database: it holds across
 * lockers (as across api processes, each with its own pool), refuses the second holder
 * with the tus 423 once `uploads.lockWaitMs` has passed, and frees on unlock.
 */
describe('PostgresUploadLocker (real database)', () => {
  let first: WorkerHarness;
  let second: WorkerHarness;
  let lockerA: PostgresUploadLocker;
  let lockerB: PostgresUploadLocker;
  const never = new AbortController().signal;
  const noRelease = (): void => undefined;

  beforeAll(async () => {
    const imports = [ConfigModule, DatabaseModule, QueueModule, StorageModule.forRootAsync(), FilesModule];
    const shortWait = (config: DepotConfig): DepotConfig => ({
      ...config,
      uploads: { ...config.uploads, lockWaitMs: 100 },
    });
    first = await startWorkerHarness('upload-lock-a', { imports }, shortWait);
    second = await startWorkerHarness('upload-lock-b', { imports }, shortWait);
    lockerA = first.module.get(PostgresUploadLocker);
    lockerB = second.module.get(PostgresUploadLocker);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  it('lets one holder at a time have an upload, across two connection pools', async () => {
    const id = `uploads/${randomUUID()}`;
    const held = lockerA.newLock(id);
    await held.lock(never, noRelease);

    await expect(lockerB.newLock(id).lock(never, noRelease)).rejects.toBe(UPLOAD_LOCKED);
    // Another upload is not held up.
    const other = lockerB.newLock(`uploads/${randomUUID()}`);
    await other.lock(never, noRelease);
    await other.unlock();

    await held.unlock();
    const next = lockerB.newLock(id);
    await next.lock(never, noRelease);
    await next.unlock();
  });

  it('gives up at once for a request that was aborted', async () => {
    const id = `uploads/${randomUUID()}`;
    const held = lockerA.newLock(id);
    await held.lock(never, noRelease);
    const aborted = new AbortController();
    aborted.abort();
    await expect(lockerB.newLock(id).lock(aborted.signal, noRelease)).rejects.toBe(UPLOAD_LOCKED);
    await held.unlock();
  });
});
