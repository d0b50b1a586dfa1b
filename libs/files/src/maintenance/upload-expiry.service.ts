import { Injectable, Logger } from '@nestjs/common';
import { UploadsConfig } from '@depot/config';
import { FilesRepository } from '../files.repository';
import { FileIntakeService } from '../intake/file-intake.service';
import { UploadMetrics } from '../intake/upload.metrics';
import { UploadStore } from '../intake/upload-store';

export interface UploadExpiryResult {
  /** Abandoned resumable uploads removed, bytes and rows. */
  uploadsExpired: number;
  /** True when the run stopped at its cap and left some for the next tick. */
  uploadsMore: boolean;
}

const BATCH_SIZE = 100;
const MAX_BATCHES_PER_RUN = 20;

/**
 * Part of `retentionSweep`: resumable uploads still `uploading` `uploads.expireAfterSeconds`
 * after their creation are abandoned. Their partial bytes (and the store's bookkeeping, and
 * an S3 multipart upload) are removed first, then their rows, so nothing is ever left on
 * the disk without a row that leads to it. By then tus itself refuses the upload (410,
 * the same period is its expiration), so no write races the removal.
 *
 * The scheduler claims each tick once across replicas; two runs at once (a manual run
 * beside a tick) only repeat idempotent removals, and each row is deleted once, so each
 * expired upload is counted once.
 */
@Injectable()
export class UploadExpiryService {
  private readonly logger = new Logger(UploadExpiryService.name);

  constructor(
    private readonly files: FilesRepository,
    private readonly store: UploadStore,
    private readonly intake: FileIntakeService,
    private readonly metrics: UploadMetrics,
    private readonly config: UploadsConfig,
  ) {}

  async run(now: Date = new Date()): Promise<UploadExpiryResult> {
    const cutoff = new Date(now.getTime() - this.config.expireAfterSeconds * 1000);
    let expired = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch += 1) {
      const ids = await this.files.abandonedUploads(cutoff, BATCH_SIZE);
      if (ids.length === 0) return { uploadsExpired: expired, uploadsMore: false };
      for (const id of ids) await this.store.remove(id);
      let count = 0;
      // Each row goes with its reservation given back, in one transaction per upload.
      for (const id of ids) if (await this.intake.abandon(id)) count += 1;
      expired += count;
      this.metrics.expired.inc(count);
      this.logger.log({ msg: 'abandoned uploads expired', count, fileIds: ids });
      if (ids.length < BATCH_SIZE) return { uploadsExpired: expired, uploadsMore: false };
    }
    return { uploadsExpired: expired, uploadsMore: true };
  }
}
