import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ConfigModule } from '@depot/config';
import { DatabaseHealthIndicator, DatabaseModule } from '@depot/database';
import { HealthModule, MetricsModule } from '@depot/observability';
import { QueueModule, RedisHealthIndicator } from '@depot/queue';

/** The scheduler: claims each cron tick once and enqueues it for the worker; no heavy work here. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    QueueModule,
    MetricsModule,
    ScheduleModule.forRoot(),
    HealthModule.register({
      imports: [DatabaseModule, QueueModule],
      indicators: [DatabaseHealthIndicator, RedisHealthIndicator],
    }),
  ],
})
export class SchedulerModule {}
