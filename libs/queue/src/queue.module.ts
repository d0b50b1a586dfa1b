import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigModule, QueueConfig, RedisConfig } from '@depot/config';
import { MetricsModule } from '@depot/observability';
import { QUEUE_NAMES } from './job-payloads';
import { JobQueue } from './job-queue.service';
import { JobMetrics, QueueDepthMetrics } from './queue.metrics';
import { redisOptions } from './redis.options';
import { RedisHealthIndicator } from './redis.health';

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
    BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
    MetricsModule,
  ],
  providers: [JobQueue, RedisHealthIndicator, JobMetrics, QueueDepthMetrics],
  exports: [BullModule, JobQueue, RedisHealthIndicator, JobMetrics],
})
export class QueueModule {}
