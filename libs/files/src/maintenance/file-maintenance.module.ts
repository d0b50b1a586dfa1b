import { Module } from '@nestjs/common';
import { ConfigModule } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import { WebhooksModule } from '@depot/webhooks';
import { FilesModule } from '../files.module';
import { OrphanBytesService } from './orphan-bytes.service';
import { RequeueStuckService } from './requeue-stuck.service';
import { RetentionSweepService } from './retention-sweep.service';
import { UploadExpiryService } from './upload-expiry.service';
import { UsageReportService } from './usage-report.service';

/**
 * The domain side of the scheduler's maintenance tasks, run by the worker's `maintenance`
 * processor. Needs `StorageModule.forRootAsync()` in the app's root module.
 */
@Module({
  imports: [ConfigModule, DatabaseModule, WebhooksModule, FilesModule],
  providers: [
    RetentionSweepService,
    RequeueStuckService,
    OrphanBytesService,
    UsageReportService,
    UploadExpiryService,
  ],
  exports: [
    RetentionSweepService,
    RequeueStuckService,
    OrphanBytesService,
    UsageReportService,
    UploadExpiryService,
  ],
})
export class FileMaintenanceModule {}
