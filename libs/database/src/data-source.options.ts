import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '@depot/config';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Connection options shared by the apps and the migration CLI. `synchronize` is never on. */
export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  return {
    type: 'postgres',
    // Given rather than left to TypeORM's `require('pg')` by name, which a bundler cannot follow
    // (the apps' build bundles their dependencies, rspack.config.js).
    driver: pg,
    url: config.url,
    synchronize: false,
    migrationsRun: false,
    // Each migration in its own transaction, so one may opt out (ALTER TYPE ... ADD VALUE needs to commit first).
    migrationsTransactionMode: 'each',
    logging: config.logging,
    namingStrategy: new SnakeNamingStrategy(),
    extra: {
      max: config.poolSize,
      connectionTimeoutMillis: config.connectTimeoutMs,
      ...(config.statementTimeoutMs > 0 ? { statement_timeout: config.statementTimeoutMs } : {}),
      application_name: 'depot',
    },
  };
}

/** The database name in a postgres URL, and the same URL pointed at the `postgres` maintenance database. */
export function splitDatabaseUrl(url: string): { database: string; maintenanceUrl: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  parsed.pathname = '/postgres';
  return { database, maintenanceUrl: parsed.toString() };
}
