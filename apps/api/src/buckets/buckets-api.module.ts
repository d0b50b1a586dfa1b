import { Module } from '@nestjs/common';
import { FilesModule } from '@depot/files';
import { AuthModule } from '../http/auth.module';
import { BucketsController } from './buckets.controller';
import { PublicFilesController } from './public-files.controller';
import { UsageController } from './usage.controller';

@Module({
  imports: [AuthModule, FilesModule],
  controllers: [BucketsController, UsageController, PublicFilesController],
})
export class BucketsApiModule {}
