/*
 * BullMQ's PostgreSQL backend: its classes, SQL and migrations. queue-backend.ts loads this
 * module with `import()` only when `queue.backend` is `postgres`, so on Redis (the
 * production default) none of it is in an app's memory; the build puts it in a chunk of its
 * own beside each app's `main.js` (rspack.config.js says why BullMQ's index lets it).
 */
import { PostgresConnection } from 'bullmq';

export {
  assertSchemaCompatibility,
  createPostgresBackend,
  runMigrations,
  SchemaMigrationRequiredError,
} from 'bullmq';

/** What {@link retryFailedFirstConnects} touches of BullMQ's connection. */
interface ConnectionReadiness {
  waitUntilReady(): Promise<void>;
  /** BullMQ's own field: the first connect, kept for every later call. */
  readyPromise?: Promise<void>;
}

/**
 * BullMQ 6.7's PostgreSQL connection keeps the promise of its first connect even when that
 * connect fails: one refused or dropped connect (PostgreSQL restarting as an app boots, say)
 * leaves that Queue or Worker failing every call, and the app's readiness down, until the
 * process restarts. A failed first connect is forgotten here, so the next call connects
 * again, as BullMQ already does for its LISTEN connection (taskforcesh/bullmq#4781). Drop
 * this once BullMQ does the same for the pool (the queue backend's test fails without it).
 */
function retryFailedFirstConnects(): void {
  const prototype = PostgresConnection.prototype as unknown as ConnectionReadiness;
  const waitUntilReady = prototype.waitUntilReady;
  prototype.waitUntilReady = function (this: ConnectionReadiness): Promise<void> {
    const ready = waitUntilReady.call(this);
    const first = this.readyPromise;
    first?.catch(() => {
      if (this.readyPromise === first) this.readyPromise = undefined;
    });
    return ready;
  };
}

retryFailedFirstConnects();
