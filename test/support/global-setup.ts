import './register-aliases';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '@jest/types';
import { loadConfig } from '@depot/config';
import { copyDatabase } from '@depot/database';
import { migrateQueueBackend } from '@depot/queue';
import { setupDatabase } from '../../database/setup';
import {
  postgresAnswers,
  startTemporaryPostgres,
  type TemporaryPostgres,
} from '../../scripts/launcher/embedded-postgres';
import { runVariables, WORKER_COUNT_VARIABLE, workerVariables } from './worker-env';

/** Handed from the global setup to the global teardown (they share the Jest parent process). */
export interface GlobalState {
  embeddedPostgres?: TemporaryPostgres;
}
export const globalState = globalThis as typeof globalThis & { depotTests?: GlobalState };

/**
 * Gives each Jest worker past the first its own copy of the run's environment (worker-env.ts):
 * a database cloned from the migrated one (faster than migrating again), its queue schema on
 * the postgres backend, and a storage folder.
 */
async function prepareWorkers(count: number): Promise<void> {
  const run = runVariables(process.env)!;
  for (let id = 2; id <= count; id += 1) {
    const worker = workerVariables(run, id);
    // One at a time: PostgreSQL copies a template only while no one else is connected to it.
    await copyDatabase(run.DATABASE_URL, worker.DATABASE_URL);
    mkdirSync(worker.STORAGE_LOCAL_ROOT);
  }
  await Promise.all(
    Array.from({ length: count - 1 }, (_, index) => {
      const worker = workerVariables(run, index + 2);
      return migrateQueueBackend(
        loadConfig({
          env: { ...process.env, DATABASE_URL: worker.DATABASE_URL, QUEUE_PREFIX: worker.QUEUE_PREFIX },
        }).config,
      );
    }),
  );
  process.env[WORKER_COUNT_VARIABLE] = String(count);
}

/**
 * Creates this run's database (migrated, with the queue schema on the postgres backend),
 * queue prefix and storage folder, and a copy of them for each further Jest worker. Where the
 * configured PostgreSQL does not answer (a machine with nothing but Node), the run gets an
 * embedded one of its own.
 */
export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
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
  await prepareWorkers(Math.max(1, globalConfig.maxWorkers));
}
