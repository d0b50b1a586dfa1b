// The database connection and what the domain libs share on top of it, as apps, libs,
// scripts and tests use them.
export { copyDatabase, dropDatabase, ensureDatabase } from './database.admin';
export { DatabaseHealthIndicator } from './database.health';
export { DatabaseModule } from './database.module';
export { databaseAddress, databaseDependency, probeDatabase } from './database.probe';
export { dataSourceOptions } from './data-source.options';
export { EntityReader } from './entity-reader';
export { poolRows, type PoolQueryOptions } from './pool-query';
export {
  InvalidCursorError,
  KeysetCursors,
  newestFirst,
  type Page,
  type PageRequest,
} from './keyset-pagination';
export { type CacheTicket, NotifiedCache, type NotifiedCacheOptions } from './notified-cache';
export { SchemaHealthIndicator } from './schema.health';
export { TransactionRunner } from './transaction.runner';
export { isUuid } from './uuid';
