// The files domain as apps, scripts, benches and tests use it. Anything not listed here is
// internal to the lib (its unit tests import it by relative path).
export { BUCKET_NAME, type BucketSettings, checkBucketName } from './buckets/bucket-rules';
export { BucketEntity } from './buckets/bucket.entity';
export { BucketsService } from './buckets/buckets.service';
export { FILE_STATUSES, FileEntity, type FileStatus } from './entities/file.entity';
export {
  BucketExistsError,
  BucketNotEmptyError,
  BucketNotFoundError,
  FileError,
  FileNotReadyError,
  FileTooLargeError,
  IdempotencyKeyReusedError,
  InvalidFileInputError,
  QuotaExceededError,
  UnsupportedFileTypeError,
  UploadInterruptedError,
  UploadLinkRefusedError,
} from './file.errors';
export { incomingKey, storedKey } from './file.keys';
export { type FileMetadata, MAX_METADATA_BYTES, parseMetadata } from './file-metadata';
export { checkObjectName, downloadName } from './file-name';
export { type FileToProcess, FileProcessingService, type ProcessOutcome } from './file-processing.service';
export type { FileView } from './file.view';
export { FileViewsService, PUBLIC_FILES_PATH } from './file-views.service';
export { FilesModule } from './files.module';
export { FilesService } from './files.service';
export { parseExpiresAt } from './intake/expires-at';
export {
  FileIntakeService,
  type IntakeFields,
  type IntakeRequest,
  type IntakeResult,
  type ReceiveFile,
} from './intake/file-intake.service';
export { PostgresUploadLocker, UPLOAD_LOCKED } from './intake/upload-lock';
export { partialUploadKey, UploadStore } from './intake/upload-store';
export { FileMaintenanceModule } from './maintenance/file-maintenance.module';
export { OrphanBytesService } from './maintenance/orphan-bytes.service';
export { RequeueStuckService } from './maintenance/requeue-stuck.service';
export { RetentionSweepService } from './maintenance/retention-sweep.service';
export { UploadExpiryService } from './maintenance/upload-expiry.service';
export { reportedDay, usageReportKey, UsageReportService } from './maintenance/usage-report.service';
export { UploadLinkEntity } from './upload-links/upload-link.entity';
export { UPLOAD_LINKS_PATH, type UploadGrant, UploadLinksService } from './upload-links/upload-links.service';
export { TenantUsageService } from './usage/tenant-usage.service';
