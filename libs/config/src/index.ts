export { ConfigError } from './config.error';
// Well-known environment variables and the keys production takes only from the environment: what deploy manifests set.
export { loadConfig, PRODUCTION_ENV_ONLY, WELL_KNOWN_ENV } from './config.loader';
export { ConfigModule } from './config.module';
export { redactConfig } from './config.redact';
export {
  type DepotConfigShape,
  type DiskConfig,
  SCHEDULER_TASKS,
  type SchedulerTaskName,
} from './config.schema';
export {
  ApiConfig,
  AppConfig,
  AuthConfig,
  DatabaseConfig,
  DepotConfig,
  FilesConfig,
  LogConfig,
  MetricsConfig,
  QueueConfig,
  RedisConfig,
  SchedulerConfig,
  StorageConfig,
  UploadsConfig,
  WebhooksConfig,
  WorkerConfig,
} from './config.sections';
export { getConfig, loadConfigOrExit } from './config.state';
