/**
 * `npm run db:check`: migrates a fresh, temporary database and fails if the entities
 * would still change its schema, i.e. if a migration is missing or out of date.
 */
import { randomBytes } from 'node:crypto';
import { loadConfigOrExit } from '@depot/config';
import { dropDatabase, ensureDatabase } from '@depot/database';
import { createDataSource } from '../database/data-source';

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  const url = new URL(config.database.url);
  url.pathname = `/depot_check_${randomBytes(4).toString('hex')}`;
  const database = { ...config.database, url: url.toString() };
  await ensureDatabase(database.url);
  const dataSource = createDataSource(database);
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const pending = await dataSource.driver.createSchemaBuilder().log();
    if (pending.upQueries.length === 0) {
      console.log('db:check: entities and migrations agree');
      return 0;
    }
    console.error(
      'db:check: the entities differ from the migrations; run `npm run migration:generate`. Missing:',
    );
    for (const query of pending.upQueries) console.error(`  ${query.query}`);
    return 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropDatabase(database.url);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:check failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
