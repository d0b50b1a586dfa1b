export { QUEUE_NAMES, type QueueName } from './job-payloads';
export { JobQueueService } from './job-queue.service';
export { type JobHandlers, QueueProcessor } from './queue-processor';
export { QueueModule } from './queue.module';
export { QueueHealthIndicator } from './queue.health';
export { migrateQueueBackend, queueDependency, queueSchemaName, useQueueBackend } from './queue-backend';
export { redisOptions } from './redis.options';
export { probeRedis } from './redis.probe';
export { QueueWorkerModule } from './queue-worker.module';
