export * from './job-payloads';
export * from './job-queue.service';
export * from './queue-processor';
export * from './queue.module';
export * from './redis.health';
export * from './redis.options';
export * from './redis.probe';
export * from './queue.metrics';
