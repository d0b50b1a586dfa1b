import { AppProcess } from '../../support/app-process';
import { ADMIN_KEY, bearer, createTenant } from '../../support/depot-api';
import { waitFor } from '../../support/wait';

/**
 * Two api replicas, each caching verified keys for an hour: a key revoked through one is
 * refused by both, because the revocation's NOTIFY empties every replica's cache. Without
 * the notification the second replica would go on accepting the key for the hour.
 */
describe('key revocation across two api processes', () => {
  let first: AppProcess;
  let second: AppProcess;
  const env = { DEPOT__AUTH__KEY_CACHE_TTL_MS: '3600000' };

  beforeAll(async () => {
    [first, second] = await Promise.all([
      AppProcess.startReady('api', env),
      AppProcess.startReady('api', env),
    ]);
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  const list = (api: AppProcess, key: string): Promise<number> =>
    api.fetch('/v1/files', { headers: bearer(key) }).then(async (response) => {
      await response.body?.cancel();
      return response.status;
    });

  /** Requests with the key until the replica answers 200 twice in a row: it has read (and cached) it. */
  const warm = async (api: AppProcess, key: string): Promise<void> => {
    await waitFor(`${api.url} to accept the key`, 10_000, async () => {
      return (await list(api, key)) === 200 && (await list(api, key)) === 200;
    });
  };

  it('refuses a revoked key on both replicas', async () => {
    const { apiKey } = await createTenant(first, 'Revoked Ltd', ['files:read']);
    await Promise.all([warm(first, apiKey.key), warm(second, apiKey.key)]);

    const revoked = await first.fetch(`/v1/api-keys/${apiKey.id}`, {
      method: 'DELETE',
      headers: bearer(ADMIN_KEY),
    });
    expect(revoked.status).toBe(204);

    // The revoking replica refuses from its next request on.
    expect(await list(first, apiKey.key)).toBe(401);
    // The other one as soon as the notification arrives (milliseconds; the contract is a second).
    await waitFor('the second replica to refuse the revoked key', 5_000, async () => {
      return (await list(second, apiKey.key)) === 401;
    });
    // And for good: nothing put it back.
    expect(await list(second, apiKey.key)).toBe(401);
    expect(await list(first, apiKey.key)).toBe(401);
  });

  it('keeps accepting a key that was not revoked', async () => {
    const { apiKey } = await createTenant(second, 'Kept Ltd', ['files:read']);
    const other = await createTenant(second, 'Other Ltd', ['files:read']);
    await Promise.all([warm(first, apiKey.key), warm(second, apiKey.key)]);
    const revoked = await second.fetch(`/v1/api-keys/${other.apiKey.id}`, {
      method: 'DELETE',
      headers: bearer(ADMIN_KEY),
    });
    expect(revoked.status).toBe(204);
    expect(await list(first, apiKey.key)).toBe(200);
    expect(await list(second, apiKey.key)).toBe(200);
  });

  it('shuts down cleanly with its listening connection open', async () => {
    expect(await first.stop()).toBe(0);
  });
});
