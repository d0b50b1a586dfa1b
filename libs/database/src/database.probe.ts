import { Client } from 'pg';
import type { DatabaseConfig } from '@depot/config';
import type { Dependency } from '@depot/observability';

/** `host:port/database` for messages, never the password. */
export function databaseAddress(config: DatabaseConfig): string {
  const url = new URL(config.url);
  return `${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/** Connects once and runs `SELECT 1`; throws when PostgreSQL does not answer. */
export async function probeDatabase(config: DatabaseConfig): Promise<void> {
  const client = new Client({
    connectionString: config.url,
    connectionTimeoutMillis: config.connectTimeoutMs,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') {
      Object.assign(error as object, { hint: 'create it and migrate with `npm run db:setup`' });
    }
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PostgreSQL as a boot dependency of an app (see `runApp` in @depot/runtime). */
export function databaseDependency(config: DatabaseConfig): Dependency {
  return { name: 'PostgreSQL', address: databaseAddress(config), probe: () => probeDatabase(config) };
}
