import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import { MetricsModule } from '@depot/observability';
import { QueueModule } from '@depot/queue';
import { TenantEntity } from '@depot/tenancy';
import { WebhooksModule } from '@depot/webhooks';
import { BucketEntity, BucketsService } from './buckets';
import { FileEntity } from './entities/file.entity';
import { FileProcessingService } from './file-processing.service';
import { FileViews } from './file-views.service';
import { FileJobs } from './file-jobs';
import { FilesRepository } from './files.repository';
import { FilesService } from './files.service';
import { FileIntake, PostgresUploadLocker, UploadMetrics, UploadStore } from './intake';
import { UploadLinkEntity, UploadLinks } from './upload-links';
import { TenantUsageService } from './usage';

/**
 * The file lifecycle, shared by the api (FileIntake, FilesService) and the worker
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
    FileViews,
    BucketsService,
    TenantUsageService,
    FileProcessingService,
    FileIntake,
    UploadMetrics,
    UploadStore,
    PostgresUploadLocker,
    UploadLinks,
  ],
  exports: [
    // The api's and the worker's.
    FilesService,
    FileViews,
    BucketsService,
    TenantUsageService,
    FileProcessingService,
    FileIntake,
    UploadStore,
    PostgresUploadLocker,
    UploadLinks,
    // FileMaintenanceModule's.
    FilesRepository,
    FileJobs,
    UploadMetrics,
  ],
})
export class FilesModule {}
