import type { DataSource } from 'typeorm';
import { dropDatabase } from '@depot/database';
import { createDataSource } from '../../../database/data-source';
import { migratedDatabase } from '../../support/private-postgres';
import { testEnv } from '../../support/test-env';

/**
 * A migrated database of the test file's own on the run's PostgreSQL server, so that
 * what a fault test leaves stuck is not picked up by another file's scheduler, and the
 * other way round. `drop` removes it (afterAll); `dataSource` opens a small connection
 * to it, with the migrations, for a test that moves its schema (the caller destroys it).
 */
export interface OwnDatabase {
  url: string;
  drop(): Promise<void>;
  dataSource(): Promise<DataSource>;
}

export async function ownDatabase(name: string): Promise<OwnDatabase> {
  const url = new URL(testEnv().databaseUrl);
  url.pathname = `${url.pathname}_${name}`;
  const database = await migratedDatabase(url.toString());
  return {
    url: database,
    drop: () => dropDatabase(database),
    dataSource: () =>
      createDataSource({
        url: database,
        poolSize: 2,
        connectTimeoutMs: 5000,
        statementTimeoutMs: 0,
        logging: false,
      }).initialize(),
  };
}
