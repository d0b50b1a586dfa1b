import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import { MetricsModule } from '@depot/observability';
import { QueueModule } from '@depot/queue';
import { TenantEntity } from '@depot/tenancy';
import { WebhooksModule } from '@depot/webhooks';
import { BucketEntity } from './buckets/bucket.entity';
import { BucketsService } from './buckets/buckets.service';
import { FileEntity } from './entities/file.entity';
import { FileProcessingService } from './file-processing.service';
import { FileViewsService } from './file-views.service';
import { FileJobs } from './file-jobs';
import { FilesRepository } from './files.repository';
import { FilesService } from './files.service';
import { FileIntakeService } from './intake/file-intake.service';
import { PostgresUploadLocker } from './intake/upload-lock';
import { UploadMetrics } from './intake/upload.metrics';
import { UploadStore } from './intake/upload-store';
import { UploadLinkEntity } from './upload-links/upload-link.entity';
import { UploadLinksService } from './upload-links/upload-links.service';
import { TenantUsageService } from './usage/tenant-usage.service';

/**
 * The file lifecycle, shared by the api (FileIntakeService, FilesService) and the worker
 * (FileProcessingService). Needs `StorageModule.forRootAsync()` in the app's root module.
 */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    QueueModule,
    MetricsModule,
    WebhooksModule,
    TypeOrmModule.forFeature([FileEntity, UploadLinkEntity, BucketEntity, TenantEntity]),
  ],
  providers: [
    FilesRepository,
    FileJobs,
    FilesService,
    FileViewsService,
    BucketsService,
    TenantUsageService,
    FileProcessingService,
    FileIntakeService,
    UploadMetrics,
    UploadStore,
    PostgresUploadLocker,
    UploadLinksService,
  ],
  exports: [
    // The api's and the worker's.
    FilesService,
    FileViewsService,
    BucketsService,
    TenantUsageService,
    FileProcessingService,
    FileIntakeService,
    UploadStore,
    PostgresUploadLocker,
    UploadLinksService,
    // FileMaintenanceModule's.
    FilesRepository,
    FileJobs,
    UploadMetrics,
  ],
})
export class FilesModule {}
