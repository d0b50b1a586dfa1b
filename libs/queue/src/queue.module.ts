import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigModule, QueueConfig, RedisConfig } from '@depot/config';
import { MetricsModule } from '@depot/observability';
import { QUEUE_NAMES } from './job-payloads';
import { JobQueue } from './job-queue.service';
import { JobMetrics, QueueDepthMetrics } from './queue.metrics';
import { QueueWorker } from './queue-worker';
import { producerRedisOptions, redisOptions } from './redis.options';
import { RedisHealthIndicator } from './redis.health';

// Each `@Processor` gets a QueueWorker: lock and stall timings from config, and a connection
// that rides out a Redis outage (see queue-worker.ts).
BullModule.workerClass = QueueWorker;

/**
 * BullMQ on the configured Redis, with the key prefix and default job options from config,
 * and the three queues registered. Producers inject {@link JobQueue}; the worker declares
 * one `@Processor(queue)` per queue.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      imports: [ConfigModule],
      inject: [RedisConfig, QueueConfig],
      useFactory: (redis: RedisConfig, queue: QueueConfig) => ({
        connection: redisOptions(redis),
        prefix: queue.prefix,
        defaultJobOptions: {
          attempts: queue.attempts,
          backoff: { type: 'exponential', delay: queue.backoffMs },
          removeOnComplete: { age: queue.removeCompletedAfterSeconds },
          removeOnFail: { age: queue.keepFailedForSeconds },
        },
      }),
    }),
    // Queues fail fast while Redis is away: an enqueue during an outage errors at once, not after a hang.
    BullModule.registerQueueAsync(
      ...QUEUE_NAMES.map((name) => ({
        name,
        imports: [ConfigModule],
        inject: [RedisConfig],
        useFactory: (redis: RedisConfig) => ({ connection: producerRedisOptions(redis) }),
      })),
    ),
    MetricsModule,
  ],
  providers: [JobQueue, RedisHealthIndicator, JobMetrics, QueueDepthMetrics],
  exports: [BullModule, JobQueue, RedisHealthIndicator, JobMetrics],
})
export class QueueModule {}
