import { Module } from '@nestjs/common';
import { ConfigModule } from '@depot/config';
import { FilesModule } from '@depot/files';
import { AuthModule } from '../http/auth.module';
import { DownloadsController } from './downloads.controller';
import { FileUploads } from './file-uploads';
import { FilesController } from './files.controller';

@Module({
  imports: [ConfigModule, AuthModule, FilesModule],
  controllers: [FilesController, DownloadsController],
  providers: [FileUploads],
  exports: [FileUploads],
})
export class FilesApiModule {}
