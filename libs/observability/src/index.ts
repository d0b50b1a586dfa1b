export { type Dependency, type HealthIndicator } from './health/health-indicator';
export { HealthController } from './health/health.controller';
export { HealthModule } from './health/health.module';
export { HealthService } from './health/health.service';
export {
  currentLogContext,
  EXPLICIT_LOG_CONTEXT,
  hasExplicitLogContext,
  type LogContext,
  openLogContext,
  openLogContexts,
  withLogContext,
  withSyncLogContext,
} from './logging/log-context';
export { createLogger, type Logger } from './logging/logger.factory';
export { PinoLoggerService } from './logging/pino-logger.service';
export { redactUrl } from './logging/redact-url';
export { registerHttpMetrics } from './metrics/http-metrics';
export { MetricsModule } from './metrics/metrics.module';
export { MetricsRegistry } from './metrics/metrics.registry';
