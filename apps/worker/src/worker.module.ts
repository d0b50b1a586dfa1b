import { Module } from '@nestjs/common';
import { ConfigModule } from '@depot/config';
import { DatabaseHealthIndicator, DatabaseModule, SchemaHealthIndicator } from '@depot/database';
import { HealthModule, MetricsModule } from '@depot/observability';
import { FileMaintenanceModule, FilesModule } from '@depot/files';
import { QueueModule, QueueWorkerModule, QueueHealthIndicator } from '@depot/queue';
import { SchedulingModule } from '@depot/scheduling';
import { StorageHealthIndicator, StorageModule, withDiskMetrics } from '@depot/storage';
import { WebhooksModule } from '@depot/webhooks';
import { FilesProcessor } from './processors/files.processor';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { WebhooksProcessor } from './processors/webhooks.processor';

/** The worker: one processor per queue; its HTTP server serves only health and metrics. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    // QueueModule, plus the startup check that every queue has exactly one processor.
    QueueWorkerModule,
    MetricsModule,
    StorageModule.forRootAsync(withDiskMetrics()),
    FilesModule,
    FileMaintenanceModule,
    WebhooksModule,
    SchedulingModule,
    HealthModule.register({
      imports: [DatabaseModule, QueueModule],
      indicators: [
        DatabaseHealthIndicator,
        SchemaHealthIndicator,
        QueueHealthIndicator,
        StorageHealthIndicator,
      ],
    }),
  ],
  providers: [FilesProcessor, MaintenanceProcessor, WebhooksProcessor],
})
export class WorkerModule {}
