import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigModule, DatabaseConfig, QueueConfig, RedisConfig } from '@depot/config';
import { MetricsModule } from '@depot/observability';
import { QUEUE_NAMES } from './job-payloads';
import { JobQueueService } from './job-queue.service';
import { JobMetrics, QueueDepthMetrics } from './queue.metrics';
import { QueueWorker } from './queue-worker';
import { useQueueBackend } from './queue-backend';
import { QueueHealthIndicator } from './queue.health';

// Each `@Processor` gets a QueueWorker: lock and stall timings from config, and a connection
// that rides out an outage (see queue-worker.ts).
BullModule.workerClass = QueueWorker;

/**
 * BullMQ on the configured backend (`queue.backend`: Redis, or PostgreSQL; see
 * queue-backend.ts), with the key prefix and default job options from config, and the three
 * queues registered. Producers inject {@link JobQueueService}; the worker declares
 * one `@Processor(queue)` per queue.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      imports: [ConfigModule],
      inject: [RedisConfig, QueueConfig, DatabaseConfig],
      // Runs before any queue or worker is made: they are all built on the backend it selects.
      useFactory: async (redis: RedisConfig, queue: QueueConfig, database: DatabaseConfig) => ({
        connection: (await useQueueBackend({ redis, queue, database })).connection,
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
        inject: [RedisConfig, QueueConfig, DatabaseConfig],
        useFactory: async (redis: RedisConfig, queue: QueueConfig, database: DatabaseConfig) => ({
          connection: (await useQueueBackend({ redis, queue, database })).producerConnection,
        }),
      })),
    ),
    ConfigModule,
    MetricsModule,
  ],
  providers: [JobQueueService, QueueHealthIndicator, JobMetrics, QueueDepthMetrics],
  exports: [BullModule, JobQueueService, QueueHealthIndicator, JobMetrics],
})
export class QueueModule {}
