import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import { QueueModule } from '@depot/queue';
import { WebhooksModule } from '@depot/webhooks';
import { FileEntity } from './entities/file.entity';
import { FileProcessingService } from './file-processing.service';
import { FilesService } from './files.service';

/**
 * The file lifecycle, shared by the api (FilesService) and the worker
 * (FileProcessingService). Needs `StorageModule.forRootAsync()` in the app's root module.
 */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    QueueModule,
    WebhooksModule,
    TypeOrmModule.forFeature([FileEntity]),
  ],
  providers: [FilesService, FileProcessingService],
  exports: [FilesService, FileProcessingService],
})
export class FilesModule {}
