import { Module } from '@nestjs/common';
import { ConfigModule } from '@depot/config';
import { DatabaseHealthIndicator, DatabaseModule } from '@depot/database';
import { HealthModule, MetricsModule } from '@depot/observability';
import { QueueModule, RedisHealthIndicator } from '@depot/queue';

/** The worker: one processor per queue; its HTTP server serves only health and metrics. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    QueueModule,
    MetricsModule,
    HealthModule.register({
      imports: [DatabaseModule, QueueModule],
      indicators: [DatabaseHealthIndicator, RedisHealthIndicator],
    }),
  ],
})
export class WorkerModule {}
