import { Module } from '@nestjs/common';
import { ConfigModule } from '@depot/config';
import { FilesModule } from '@depot/files';
import { AuthModule } from '../http/auth.module';
import { TusProtocol } from './tus-protocol.service';
import { UploadsController } from './uploads.controller';

/** Resumable uploads (tus at `/v1/uploads`). */
@Module({
  imports: [ConfigModule, AuthModule, FilesModule],
  controllers: [UploadsController],
  providers: [TusProtocol],
})
export class UploadsApiModule {}
