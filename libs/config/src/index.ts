export { ConfigError } from './config.error';
export { loadConfig } from './config.loader';
export { ConfigModule } from './config.module';
export { redactConfig } from './config.redact';
export { type DiskConfig, SCHEDULER_TASKS, type SchedulerTaskName } from './config.schema';
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
