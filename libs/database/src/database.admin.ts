import { Client } from 'pg';
import { splitDatabaseUrl } from './data-source.options';

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Creates the database named in `url` if it does not exist. Returns whether it created it. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const { database, maintenanceUrl } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
    return true;
  } finally {
    await client.end();
  }
}

/** Drops the database named in `url`, closing any sessions still on it. */
export async function dropDatabase(url: string): Promise<void> {
  const { database, maintenanceUrl } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Creates the database named in `url` as a copy of the one named in `templateUrl`, on the
 * same server: far quicker than migrating a new one. PostgreSQL copies a template only while
 * nobody is connected to it, so copies of one template must not run at once.
 */
export async function copyDatabase(templateUrl: string, url: string): Promise<void> {
  const { database: template } = splitDatabaseUrl(templateUrl);
  const { database, maintenanceUrl } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${quoteIdent(database)} TEMPLATE ${quoteIdent(template)}`);
  } finally {
    await client.end();
  }
}
