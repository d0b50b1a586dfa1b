import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@depot/config';
import { postgresRateLimitStore } from '../../../apps/api/src/http/rate-limit.store';
import { createDataSource } from '../../../database/data-source';

type Counter = { current: number; ttl: number };

function incr(store: ReturnType<typeof instance>, key: string, windowMs: number): Promise<Counter> {
  return new Promise((resolve, reject) =>
    store.incr(key, (error, result) => (error ? reject(error) : resolve(result!)), windowMs, 3),
  );
}

function instance(dataSource: DataSource, nameSpace: string) {
  const Store = postgresRateLimitStore(dataSource, nameSpace);
  return new Store({});
}

/** The rate-limit store of the postgres queue backend, on the run's real database. */
describe('PostgreSQL rate-limit store', () => {
  // Two pools, as two api processes would have.
  const config = loadConfig({ env: process.env }).config;
  const sources = [createDataSource(config.database), createDataSource(config.database)];

  beforeAll(() => Promise.all(sources.map((source) => source.initialize())));
  afterAll(() => Promise.all(sources.map((source) => source.destroy())));

  it('counts one window across processes, and starts a new one when it has ended', async () => {
    const [a, b] = sources.map((source) => instance(source, 'test:rate-limit:'));
    const key = `key:${randomUUID()}`;
    const counts = [];
    for (const store of [a!, b!, a!, b!]) counts.push((await incr(store, key, 60_000)).current);
    expect(counts).toEqual([1, 2, 3, 4]);
    const { ttl } = await incr(a!, key, 60_000);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);

    // The window ends (moved into the past rather than waited for): the next call starts again.
    await sources[0]!.query(
      `UPDATE rate_limit_counters SET expires_at = now() - interval '1 second' WHERE key = $1`,
      [`test:rate-limit:${key}`],
    );
    expect((await incr(b!, key, 60_000)).current).toBe(1);
  });

  it('keeps namespaces (deployments sharing a database) apart, and refuses options it does not support', async () => {
    const key = `key:${randomUUID()}`;
    const one = instance(sources[0]!, 'one:');
    const two = instance(sources[1]!, 'two:');
    await incr(one, key, 60_000);
    await incr(one, key, 60_000);
    expect((await incr(two, key, 60_000)).current).toBe(1);
    const Store = postgresRateLimitStore(sources[0]!, 'x:');
    expect(() => new Store({ continueExceeding: true })).toThrow(/continueExceeding/);
  });
});
