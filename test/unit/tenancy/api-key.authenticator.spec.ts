import { Logger } from '@nestjs/common';
import type { Repository } from 'typeorm';
import type { AuthConfig, DatabaseConfig } from '@depot/config';
import { currentLogContext, type LogContext, withSyncLogContext } from '@depot/observability';
import { ApiKeyAuthenticator, ApiKeyCache, type ApiKeyEntity } from '@depot/tenancy';
import { generateApiKey } from '../../../libs/tenancy/src/api-key.token';

const ADMIN_KEY = 'admin-key-0123456789abcdef0123456789abcdef';

const snake = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const COLUMNS = [
  'id',
  'tenantId',
  'name',
  'prefix',
  'keyHash',
  'scopes',
  'createdAt',
  'lastUsedAt',
  'revokedAt',
];

/**
 * A stand-in for the api_keys repository, as the authenticator uses it: plain SQL reads
 * (answered from `rows`), and the lastUsedAt updates it was asked for.
 */
function fakeKeys(rows: ApiKeyEntity[], failUpdates = false) {
  const touched: string[] = [];
  const query = jest.fn(async (_sql: string, [prefix]: string[]) =>
    rows
      .filter((row) => row.prefix === prefix)
      .map((row) =>
        Object.fromEntries(COLUMNS.map((column) => [snake(column), row[column as keyof ApiKeyEntity]])),
      ),
  );
  const repository = {
    metadata: {
      tablePath: 'api_keys',
      embeddeds: [],
      columns: COLUMNS.map((propertyName) => ({ propertyName, databaseName: snake(propertyName) })),
      create: () => ({}),
    },
    manager: {
      connection: { driver: { prepareHydratedValue: (value: unknown) => value } },
      // Not a PostgreSQL DataSource: the reader's statements go through its query (see poolRows).
      dataSource: { options: { type: 'fake' }, query },
    },
    createQueryBuilder: () => {
      let id = '';
      const builder = {
        update: () => builder,
        set: () => builder,
        where: (_: string, params: { id: string }) => ((id = params.id), builder),
        andWhere: () => builder,
        execute: async () => {
          if (failUpdates) throw new Error('database away');
          touched.push(id);
          return { affected: 1 };
        },
      };
      return builder;
    },
  };
  return { repository: repository as unknown as Repository<ApiKeyEntity>, touched, query };
}

function keyRow(overrides: Partial<ApiKeyEntity> = {}): { key: string; row: ApiKeyEntity } {
  const { key, prefix, hash } = generateApiKey();
  const row = {
    id: `key-${prefix}`,
    tenantId: 'tenant-1',
    name: 'test',
    prefix,
    keyHash: hash,
    scopes: ['files:read'],
    createdAt: new Date(),
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  } as ApiKeyEntity;
  return { key, row };
}

function authenticator(rows: ApiKeyEntity[], failUpdates = false) {
  const keys = fakeKeys(rows, failUpdates);
  return {
    // The cache off (TTL 0): it never listens, so every lookup reads. test/integration/tenancy covers it.
    auth: new ApiKeyAuthenticator(
      { adminApiKey: ADMIN_KEY } as AuthConfig,
      keys.repository,
      new ApiKeyCache({ adminApiKey: ADMIN_KEY, keyCacheTtlMs: 0 }, {} as DatabaseConfig),
    ),
    ...keys,
  };
}

describe('ApiKeyAuthenticator', () => {
  it('knows the admin key without a database lookup', async () => {
    const { auth, query } = authenticator([]);
    await expect(auth.authenticate(ADMIN_KEY)).resolves.toEqual({ kind: 'admin' });
    expect(query).not.toHaveBeenCalled();
  });

  it('resolves a tenant key to its tenant, key id and scopes', async () => {
    const { key, row } = keyRow({ scopes: ['files:read', 'files:write'] });
    const { auth } = authenticator([row]);
    await expect(auth.authenticate(key)).resolves.toEqual({
      kind: 'tenant',
      tenantId: 'tenant-1',
      keyId: row.id,
      scopes: ['files:read', 'files:write'],
    });
  });

  it('refuses a key whose prefix exists but whose secret differs, a revoked key and junk', async () => {
    const { key, row } = keyRow();
    const revoked = keyRow({ revokedAt: new Date() });
    const { auth, query } = authenticator([row, revoked.row]);
    const forged = `${row.prefix}_${'A'.repeat(43)}`;
    await expect(auth.authenticate(forged)).resolves.toBeNull();
    await expect(auth.authenticate(revoked.key)).resolves.toBeNull();
    await expect(auth.authenticate(generateApiKey().key)).resolves.toBeNull();
    for (const junk of ['', 'Bearer x', key.slice(0, 20), `${ADMIN_KEY} `]) {
      await expect(auth.authenticate(junk)).resolves.toBeNull();
    }
    // Malformed tokens never reach the database.
    expect(query).toHaveBeenCalledTimes(3);
  });

  it('records lastUsedAt at most once a minute per key', async () => {
    const { key, row } = keyRow();
    const recent = keyRow({ lastUsedAt: new Date(Date.now() - 10_000) });
    const { auth, touched } = authenticator([row, recent.row]);
    await auth.authenticate(key);
    await auth.authenticate(key);
    await auth.authenticate(key);
    await auth.authenticate(recent.key);
    expect(touched).toEqual([row.id]);
  });

  it('warns of a failed lastUsedAt update with the log context it was called in, also after its awaits', async () => {
    const { key, row } = keyRow();
    const { auth } = authenticator([row], true);
    const warned: LogContext[] = [];
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => {
      warned.push(currentLogContext());
    });
    try {
      // As the auth guard calls it for a request that opens no log context (an upload).
      await withSyncLogContext({ requestId: 'upload-1' }, () => auth.authenticate(key));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      warn.mockRestore();
    }
    expect(warned).toEqual([{ requestId: 'upload-1' }]);
  });
});
