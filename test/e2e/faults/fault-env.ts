import { dropDatabase } from '@depot/database';
import { migratedDatabase } from '../../support/private-postgres';
import { testEnv } from '../../support/test-env';

/**
 * A migrated database of the test file's own on the run's PostgreSQL server, so that
 * what a fault test leaves stuck is not picked up by another file's scheduler, and the
 * other way round. `drop` removes it (afterAll).
 */
export async function ownDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const url = new URL(testEnv().databaseUrl);
  url.pathname = `${url.pathname}_${name}`;
  const database = await migratedDatabase(url.toString());
  return { url: database, drop: () => dropDatabase(database) };
}
