import './register-aliases';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@depot/config';
import { ensureDatabase } from '@depot/database';
import { migrateQueueBackend } from '@depot/queue';
import { createDataSource } from '../../database/data-source';

/** Creates this run's database (migrated), queue prefix and storage folder. */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.APP_ENV = 'test';
  const { config } = loadConfig({ env: process.env });

  const url = new URL(config.database.url);
  url.pathname = `/depot_test_${runId}`;
  process.env.DATABASE_URL = url.toString();
  process.env.QUEUE_PREFIX = `depot-test-${runId}`;
  process.env.STORAGE_LOCAL_ROOT = mkdtempSync(join(tmpdir(), `depot-test-${runId}-`));
  process.env.REDIS_URL ??= config.redis.url;

  await ensureDatabase(process.env.DATABASE_URL);
  const dataSource = createDataSource({ ...config.database, url: process.env.DATABASE_URL });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
  const { config: runConfig } = loadConfig({ env: process.env });
  await migrateQueueBackend(runConfig);
}
