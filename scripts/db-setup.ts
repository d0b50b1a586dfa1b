/**
 * `npm run db:setup`: creates the configured database if it is missing and runs pending
 * migrations. The apps never do this themselves; deployments run it as a step of its own.
 */
import { loadConfigOrExit } from '@depot/config';
import { ensureDatabase } from '@depot/database';
import { createDataSource } from '../database/data-source';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const { database } = config;
  const created = await ensureDatabase(database.url);
  const dataSource = createDataSource(database);
  await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    const name = new URL(database.url).pathname.slice(1);
    console.log(
      `database ${name}: ${created ? 'created' : 'exists'}; ${ran.length} migration(s) run${ran.length ? `: ${ran.map((m) => m.name).join(', ')}` : ''}`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`db:setup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
