import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ConfigModule } from '@depot/config';
import { DatabaseHealthIndicator, DatabaseModule, SchemaHealthIndicator } from '@depot/database';
import { HealthModule, MetricsModule } from '@depot/observability';
import { QueueModule, QueueHealthIndicator } from '@depot/queue';
import { SchedulingModule, TaskSchedulerService } from '@depot/scheduling';

/** The scheduler: claims each cron tick once and enqueues it for the worker; no heavy work here. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    QueueModule,
    MetricsModule,
    ScheduleModule.forRoot(),
    SchedulingModule,
    HealthModule.register({
      imports: [DatabaseModule, QueueModule],
      indicators: [DatabaseHealthIndicator, SchemaHealthIndicator, QueueHealthIndicator],
    }),
  ],
  providers: [TaskSchedulerService],
})
export class SchedulerModule {}
