/*
 * BullMQ's PostgreSQL backend: its classes, SQL and migrations. queue-backend.ts loads this
 * module with `import()` only when `queue.backend` is `postgres`, so on Redis (the
 * production default) none of it is in an app's memory; the build puts it in a chunk of its
 * own beside each app's `main.js` (rspack.config.js says why BullMQ's index lets it).
 */
export {
  assertSchemaCompatibility,
  createPostgresBackend,
  runMigrations,
  SchemaMigrationRequiredError,
} from 'bullmq';
