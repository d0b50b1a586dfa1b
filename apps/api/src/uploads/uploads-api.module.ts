import { Module } from '@nestjs/common';
import { ConfigModule } from '@depot/config';
import { FilesModule } from '@depot/files';
import { AuthModule } from '../http/auth.module';
import { FilesApiModule } from '../files/files-api.module';
import { TusProtocolService } from './tus-protocol.service';
import { UploadLinksController } from './upload-links.controller';
import { UploadsController } from './uploads.controller';

/** Resumable uploads (tus at `/v1/uploads`) and upload links (`/v1/upload-links`). */
@Module({
  imports: [ConfigModule, AuthModule, FilesModule, FilesApiModule],
  controllers: [UploadsController, UploadLinksController],
  providers: [TusProtocolService],
})
export class UploadsApiModule {}
