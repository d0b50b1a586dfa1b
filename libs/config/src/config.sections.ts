/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- each section is a class
   (the DI token) merged with an interface (its shape), so services inject `DatabaseConfig`
   by type without @Inject or string paths. The classes are never instantiated. */
import type { DepotConfigShape } from './config.schema';

type S = DepotConfigShape;

/** The whole validated configuration. Prefer injecting the one section a service needs. */
export abstract class DepotConfig {}
export interface DepotConfig extends S {}

export abstract class AppConfig {}
export interface AppConfig extends Readonly<S['app']> {}

export abstract class ApiConfig {}
export interface ApiConfig extends Readonly<S['api']> {}

export abstract class WorkerConfig {}
export interface WorkerConfig extends Readonly<S['worker']> {}

export abstract class SchedulerConfig {}
export interface SchedulerConfig extends Readonly<S['scheduler']> {}

export abstract class DatabaseConfig {}
export interface DatabaseConfig extends Readonly<S['database']> {}

export abstract class RedisConfig {}
export interface RedisConfig extends Readonly<S['redis']> {}

export abstract class QueueConfig {}
export interface QueueConfig extends Readonly<S['queue']> {}

export abstract class AuthConfig {}
export interface AuthConfig extends Readonly<S['auth']> {}

export abstract class StorageConfig {}
export interface StorageConfig extends Readonly<S['storage']> {}

export abstract class FilesConfig {}
export interface FilesConfig extends Readonly<S['files']> {}

export abstract class UploadsConfig {}
export interface UploadsConfig extends Readonly<S['uploads']> {}

export abstract class WebhooksConfig {}
export interface WebhooksConfig extends Readonly<S['webhooks']> {}

export abstract class LogConfig {}
export interface LogConfig extends Readonly<S['log']> {}

export abstract class MetricsConfig {}
export interface MetricsConfig extends Readonly<S['metrics']> {}

/** Each section's injection token, keyed by section name. */
export const SECTION_TOKENS = {
  app: AppConfig,
  api: ApiConfig,
  worker: WorkerConfig,
  scheduler: SchedulerConfig,
  database: DatabaseConfig,
  redis: RedisConfig,
  queue: QueueConfig,
  auth: AuthConfig,
  storage: StorageConfig,
  files: FilesConfig,
  uploads: UploadsConfig,
  webhooks: WebhooksConfig,
  log: LogConfig,
  metrics: MetricsConfig,
} as const satisfies Record<keyof S, abstract new () => object>;
