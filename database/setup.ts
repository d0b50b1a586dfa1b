import type { DepotConfig } from '@depot/config';
import { ensureDatabase } from '@depot/database';
import { migrateQueueBackend, queueSchemaName } from '@depot/queue';
import { createDataSource } from './data-source';

/**
 * What `npm run db:setup` does (and `npm start` before it starts the apps): creates the
 * configured database if it is missing, runs pending migrations, and on the postgres queue
 * backend creates or upgrades BullMQ's queue schema. Resolves to one line per step done.
 */
export async function setupDatabase(
  config: Pick<DepotConfig, 'database' | 'queue' | 'redis'>,
): Promise<string[]> {
  const { database } = config;
  const created = await ensureDatabase(database.url);
  const dataSource = createDataSource(database);
  await dataSource.initialize();
  const lines: string[] = [];
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    const name = new URL(database.url).pathname.slice(1);
    lines.push(
      `database ${name}: ${created ? 'created' : 'exists'}; ${ran.length} migration(s) run${ran.length ? `: ${ran.map((m) => m.name).join(', ')}` : ''}`,
    );
  } finally {
    await dataSource.destroy();
  }
  if (config.queue.backend === 'postgres') {
    await migrateQueueBackend(config);
    lines.push(`queue backend postgres: schema ${queueSchemaName(config.queue.prefix)} up to date`);
  }
  return lines;
}
