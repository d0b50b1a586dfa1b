import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import { MetricsModule } from '@depot/observability';
import { QueueModule } from '@depot/queue';
import { WebhooksModule } from '@depot/webhooks';
import { FileEntity } from './entities/file.entity';
import { FileProcessingService } from './file-processing.service';
import { FilesService } from './files.service';
import { FileIntake, PostgresUploadLocker, UploadMetrics, UploadStore } from './intake';

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
    TypeOrmModule.forFeature([FileEntity]),
  ],
  providers: [
    FilesService,
    FileProcessingService,
    FileIntake,
    UploadMetrics,
    UploadStore,
    PostgresUploadLocker,
  ],
  exports: [
    FilesService,
    FileProcessingService,
    FileIntake,
    UploadMetrics,
    UploadStore,
    PostgresUploadLocker,
  ],
})
export class FilesModule {}
