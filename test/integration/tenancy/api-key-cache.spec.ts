import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ConfigModule, loadConfig } from '@depot/config';
import { setConfig } from '../../../libs/config/src/config.state';
import { DatabaseModule } from '@depot/database';
import {
  ApiKeyAuthenticator,
  ApiKeyCache,
  ApiKeyEntity,
  ApiKeysService,
  TenancyModule,
} from '@depot/tenancy';
import { waitFor } from '../../support/wait';

/**
 * The verified-key cache on the real database: rows are reused only while the process
 * listens for changes, and any change to a key (through the service or by plain SQL, as an
 * operator would) empties it through the api_keys trigger's NOTIFY.
 */
describe('API key cache (real PostgreSQL, LISTEN/NOTIFY)', () => {
  let module: TestingModule;
  let dataSource: DataSource;
  let cache: ApiKeyCache;
  let authenticator: ApiKeyAuthenticator;
  let keys: ApiKeysService;
  let tenantId: string;
  let reads: number;

  beforeAll(async () => {
    const { config } = loadConfig({ env: process.env });
    // Entries outlive the test: only a notification can remove them.
    setConfig({ ...config, auth: { ...config.auth, keyCacheTtlMs: 3_600_000 } });
    module = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, TenancyModule],
    }).compile();
    await module.init();
    dataSource = module.get<DataSource>(getDataSourceToken());
    cache = module.get(ApiKeyCache);
    authenticator = module.get(ApiKeyAuthenticator);
    keys = module.get(ApiKeysService);
    tenantId = randomUUID();
    await dataSource.query(`INSERT INTO tenants (id, name) VALUES ($1, $2)`, [tenantId, `cache ${tenantId}`]);
    // Count the key reads the authenticator sends (its reader goes straight to the pool).
    const pool = (dataSource.driver as PostgresDriver).master as Pool;
    const query = pool.query.bind(pool) as (sql: string, parameters: unknown[]) => Promise<unknown>;
    reads = 0;
    jest.spyOn(pool, 'query').mockImplementation(((sql: string, parameters: unknown[]) => {
      if (/FROM "api_keys"/.test(sql)) reads++;
      return query(sql, parameters);
    }) as Pool['query']);
  });
  afterAll(() => module.close());

  async function issued(): Promise<{ key: string; prefix: string; id: string }> {
    const { apiKey, key } = await keys.issue(tenantId, { name: 'cached', scopes: ['files:read'] });
    return { key, prefix: apiKey.prefix, id: apiKey.id };
  }

  it('reads a key once while listening, then answers from memory', async () => {
    const { key } = await issued();
    await authenticator.authenticate(key);
    await waitFor('the cache to listen', 10_000, async () => cache.active);

    const before = reads;
    for (let i = 0; i < 5; i++) await expect(authenticator.authenticate(key)).resolves.not.toBeNull();
    expect(reads - before).toBe(1);
  });

  it('refuses a key revoked through the service at once in the revoking process', async () => {
    const { key, id } = await issued();
    await expect(authenticator.authenticate(key)).resolves.not.toBeNull();
    await expect(authenticator.authenticate(key)).resolves.not.toBeNull();
    await keys.revoke(id);
    await expect(authenticator.authenticate(key)).resolves.toBeNull();
  });

  it('forgets a key changed by plain SQL when the notification arrives', async () => {
    const { key, prefix } = await issued();
    await expect(authenticator.authenticate(key)).resolves.not.toBeNull();
    expect(cache.get(prefix)).toBeDefined();

    await dataSource.query(`UPDATE api_keys SET revoked_at = now() WHERE prefix = $1`, [prefix]);
    await waitFor('the cached key to be forgotten', 10_000, async () => cache.get(prefix) === undefined);
    await expect(authenticator.authenticate(key)).resolves.toBeNull();
  });

  it('forgets the keys of a deleted tenant (the cascade notifies too)', async () => {
    const other = randomUUID();
    await dataSource.query(`INSERT INTO tenants (id, name) VALUES ($1, $2)`, [other, `cache ${other}`]);
    const { apiKey, key } = await keys.issue(other, { name: 'doomed', scopes: ['files:read'] });
    await expect(authenticator.authenticate(key)).resolves.not.toBeNull();
    expect(cache.get(apiKey.prefix)).toBeDefined();

    await dataSource.query(`DELETE FROM tenants WHERE id = $1`, [other]);
    await waitFor(
      'the deleted key to be forgotten',
      10_000,
      async () => cache.get(apiKey.prefix) === undefined,
    );
    await expect(authenticator.authenticate(key)).resolves.toBeNull();
  });

  it('does not notify for last-used bookkeeping', async () => {
    const { key, prefix } = await issued();
    await authenticator.authenticate(key);
    const entry = cache.get(prefix);
    expect(entry).toBeDefined();
    await dataSource.query(`UPDATE api_keys SET last_used_at = now() WHERE prefix = $1`, [prefix]);
    // A change that does notify, sent after: once it is seen, the first one has been too.
    const marker = await issued();
    await authenticator.authenticate(marker.key);
    await dataSource.query(`UPDATE api_keys SET revoked_at = now() WHERE prefix = $1`, [marker.prefix]);
    await waitFor(
      'the marker key to be forgotten',
      10_000,
      async () => cache.get(marker.prefix) === undefined,
    );
    expect(cache.get(prefix)).toBe(entry);
  });

  it('does not store a row read before a change that arrived during the read', async () => {
    const { prefix } = await issued();
    cache.invalidate(prefix);
    const ticket = cache.begin();
    const row = await dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ prefix });
    cache.invalidate(prefix); // what a notification arriving now does
    cache.store(ticket, row);
    expect(cache.get(prefix)).toBeUndefined();
  });
});
