import { Injectable, Logger } from '@nestjs/common';
import { WebhookEventsService } from '@depot/webhooks';
import { UsageCounters } from '../usage/usage-counters';
import { FileJobs } from '../file-jobs';
import { FileViewsService } from '../file-views.service';
import { FilesRepository } from '../files.repository';

export interface RetentionSweepResult {
  deleted: number;
  /** True when the run stopped at its cap and left expired files for the next tick. */
  more: boolean;
}

const BATCH_SIZE = 200;
const MAX_BATCHES_PER_RUN = 50;

/**
 * `retentionSweep`: files whose `expiresAt` has passed become `deleted`, their bytes are
 * purged by `files.purge` jobs, and their `file.deleted` webhook deliveries are recorded in
 * the same transaction as the status change.
 *
 * Batches are taken with `FOR UPDATE SKIP LOCKED`, so two sweeps at once (a manual run
 * beside a tick) share the work instead of doing it twice. The purge jobs are enqueued
 * before the batch commits: if Redis refuses them the batch rolls back and the next run
 * takes it again, so no expired file is ever left deleted with its bytes in place. (If the
 * commit itself fails after the enqueue, an expired file's bytes are purged a little
 * early and the next run marks it deleted.) Running twice is harmless: the second finds
 * nothing, and the purge's job id (one per file, see FileJobs) dedupes.
 */
@Injectable()
export class RetentionSweepService {
  private readonly logger = new Logger(RetentionSweepService.name);

  constructor(
    private readonly files: FilesRepository,
    private readonly fileJobs: FileJobs,
    private readonly webhooks: WebhookEventsService,
    private readonly views: FileViewsService,
  ) {}

  async run(now: Date = new Date()): Promise<RetentionSweepResult> {
    let deleted = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch += 1) {
      const count = await this.sweepBatch(now);
      deleted += count;
      if (count < BATCH_SIZE) return { deleted, more: false };
    }
    return { deleted, more: true };
  }

  /** Deletes one batch of expired files; how many. */
  private sweepBatch(now: Date): Promise<number> {
    return this.webhooks.runAndDispatch(async (manager, record) => {
      const ids = await this.files.lockExpired(manager, now, BATCH_SIZE);
      if (ids.length === 0) return 0;
      const files = await this.files.markDeleted(manager, ids);
      const views = await this.views.many(files, manager);
      for (const [index, file] of files.entries()) {
        if (file.bucketId) {
          await UsageCounters.release(manager, {
            tenantId: file.tenantId,
            bucketId: file.bucketId,
            bytes: file.size ?? 0,
            files: 1,
          });
        }
        await record(file.tenantId, 'file.deleted', { ...views[index]! });
      }
      await Promise.all(files.map((file) => this.fileJobs.enqueuePurge(file)));
      this.logger.log({ msg: 'expired files deleted', count: files.length, fileIds: ids });
      return files.length;
    });
  }
}
