import { Module } from '@nestjs/common';
import { ConfigModule } from '@depot/config';
import { DatabaseHealthIndicator, DatabaseModule, SchemaHealthIndicator } from '@depot/database';
import { HealthModule, MetricsModule } from '@depot/observability';
import { QueueModule, QueueHealthIndicator } from '@depot/queue';
import { StorageHealthIndicator, StorageModule, withDiskMetrics } from '@depot/storage';
import { AdminApiModule } from './admin/admin-api.module';
import { BucketsApiModule } from './buckets/buckets-api.module';
import { FilesApiModule } from './files/files-api.module';
import { HttpModule } from './http/http.module';
import { TenantsApiModule } from './tenants/tenants-api.module';
import { UploadsApiModule } from './uploads/uploads-api.module';
import { WebhooksApiModule } from './webhooks/webhooks-api.module';

/** The REST api: which modules and controllers this deployable hosts. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    QueueModule,
    MetricsModule,
    StorageModule.forRootAsync(withDiskMetrics()),
    HttpModule,
    TenantsApiModule,
    FilesApiModule,
    BucketsApiModule,
    UploadsApiModule,
    AdminApiModule,
    WebhooksApiModule,
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
})
export class ApiModule {}
