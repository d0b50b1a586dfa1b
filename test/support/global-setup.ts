import './register-aliases';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@depot/config';
import { setupDatabase } from '../../database/setup';
import {
  postgresAnswers,
  startTemporaryPostgres,
  type TemporaryPostgres,
} from '../../scripts/launcher/embedded-postgres';

/** Handed from the global setup to the global teardown (they share the Jest parent process). */
export interface GlobalState {
  embeddedPostgres?: TemporaryPostgres;
}
export const globalState = globalThis as typeof globalThis & { depotTests?: GlobalState };

/**
 * Creates this run's database (migrated, with the queue schema on the postgres backend),
 * queue prefix and storage folder. Where the configured PostgreSQL does not answer (a machine
 * with nothing but Node), the run gets an embedded one of its own.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.APP_ENV = 'test';
  const { config } = loadConfig({ env: process.env });

  let server = config.database.url;
  if (!(await postgresAnswers(config.database.url))) {
    const embedded = await startTemporaryPostgres();
    globalState.depotTests = { embeddedPostgres: embedded };
    server = embedded.postgres.url();
  }

  const url = new URL(server);
  url.pathname = `/depot_test_${runId}`;
  process.env.DATABASE_URL = url.toString();
  process.env.QUEUE_PREFIX = `depot-test-${runId}`;
  process.env.STORAGE_LOCAL_ROOT = mkdtempSync(join(tmpdir(), `depot-test-${runId}-`));
  process.env.REDIS_URL ??= config.redis.url;
  process.env.QUEUE_BACKEND ??= config.queue.backend;

  await setupDatabase(loadConfig({ env: process.env }).config);
}
