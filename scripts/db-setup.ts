/**
 * `npm run db:setup`: creates the configured database if it is missing and runs pending
 * migrations, and on the postgres queue backend creates or upgrades BullMQ's queue schema.
 * The apps never do this themselves; deployments run it as a step of its own.
 */
import { loadConfigOrExit } from '@depot/config';
import { setupDatabase } from '../database/setup';

setupDatabase(loadConfigOrExit()).then(
  (lines) => {
    for (const line of lines) console.log(line);
  },
  (error: unknown) => {
    console.error(`db:setup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
