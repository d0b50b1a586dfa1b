import { Injectable, Logger } from '@nestjs/common';
import { In } from 'typeorm';
import { TransactionRunner } from '@depot/database';
import { JobQueue } from '@depot/queue';
import { WebhookEvents } from '@depot/webhooks';
import { UsageCounters } from '../usage';
import { FileEntity } from '../entities/file.entity';
import { FileViews } from '../file-views.service';

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
 * nothing, and the purge job id (`purge-<file id>`, as `FilesService.delete` uses) dedupes.
 */
@Injectable()
export class RetentionSweepService {
  private readonly logger = new Logger(RetentionSweepService.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly jobs: JobQueue,
    private readonly webhooks: WebhookEvents,
    private readonly views: FileViews,
  ) {}

  async run(now: Date = new Date()): Promise<RetentionSweepResult> {
    let deleted = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch += 1) {
      const { count, deliveryIds } = await this.sweepBatch(now);
      deleted += count;
      await this.dispatch(deliveryIds);
      if (count < BATCH_SIZE) return { deleted, more: false };
    }
    return { deleted, more: true };
  }

  private sweepBatch(now: Date): Promise<{ count: number; deliveryIds: string[] }> {
    return this.transactions.run(async (manager) => {
      const repository = manager.getRepository(FileEntity);
      const expired = await repository
        .createQueryBuilder('file')
        .select('file.id')
        .where('file.expires_at <= :now', { now })
        // An unfinished resumable upload is removed by its own expiry (UploadExpiryService).
        .andWhere(`file.status NOT IN ('deleted', 'uploading')`)
        .orderBy('file.expires_at', 'ASC')
        .limit(BATCH_SIZE)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (expired.length === 0) return { count: 0, deliveryIds: [] };

      const ids = expired.map((file) => file.id);
      await repository.update({ id: In(ids) }, { status: 'deleted', deletedAt: () => 'now()' });
      const files = await repository.findBy({ id: In(ids) });
      const deliveryIds: string[] = [];
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
        deliveryIds.push(
          ...(await this.webhooks.record(manager, file.tenantId, 'file.deleted', { ...views[index]! })),
        );
      }
      await Promise.all(
        files.map((file) =>
          this.jobs.add(
            'files',
            'purge',
            { fileId: file.id, tenantId: file.tenantId, disk: file.disk, storageKey: file.storageKey },
            { jobId: `purge-${file.id}` },
          ),
        ),
      );
      this.logger.log({ msg: 'expired files deleted', count: files.length, fileIds: ids });
      return { count: files.length, deliveryIds };
    });
  }

  private async dispatch(deliveryIds: string[]): Promise<void> {
    try {
      await this.webhooks.dispatch(deliveryIds);
    } catch (error) {
      // Committed with the deletions; requeueStuck dispatches pending deliveries again.
      this.logger.warn({ err: error, deliveryIds, msg: 'could not dispatch file.deleted deliveries' });
    }
  }
}
