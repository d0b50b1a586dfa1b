import { Injectable, Logger } from '@nestjs/common';
import { FilesConfig } from '@depot/config';
import { WebhookEventsService } from '@depot/webhooks';
import { FileJobs } from '../file-jobs';
import { FilesRepository } from '../files.repository';

export interface RequeueStuckResult {
  /** Files found pending or processing for longer than `files.stuckAfterSeconds`. */
  stuck: number;
  /** Of those, the ones whose job was gone or finished, and that were enqueued again. */
  requeued: number;
  /** Pending webhook deliveries of the same age whose job was gone, dispatched again. */
  deliveriesRedispatched: number;
  /** Files deleted that long ago whose bytes were never purged (the purge enqueue was lost), purged again. */
  purgesRequeued: number;
}

const MAX_PER_RUN = 1000;

/**
 * `requeueStuck`: what makes an enqueue lost to a Redis outage (or a job lost with a worker)
 * harmless. Files left `pending` or `processing` for longer than `files.stuckAfterSeconds`
 * are enqueued again as `files.process` with their own id as the job id; one whose job is
 * still waiting, delayed or active is left alone, so no file is ever processed by two jobs
 * at once. Webhook deliveries left pending as long are dispatched again the same way, and so
 * are the purges of files deleted as long ago whose bytes are still there.
 * Running twice is harmless: the second run finds every job in place.
 */
@Injectable()
export class RequeueStuckService {
  private readonly logger = new Logger(RequeueStuckService.name);

  constructor(
    private readonly files: FilesRepository,
    private readonly fileJobs: FileJobs,
    private readonly webhooks: WebhookEventsService,
    private readonly config: FilesConfig,
  ) {}

  async run(now: Date = new Date()): Promise<RequeueStuckResult> {
    const cutoff = new Date(now.getTime() - this.config.stuckAfterSeconds * 1000);
    const stuck = await this.files.stuck(cutoff, MAX_PER_RUN);
    let requeued = 0;
    for (const file of stuck) {
      const previousJob = await this.fileJobs.requeueProcess(file);
      if (previousJob === undefined) continue;
      requeued += 1;
      this.logger.warn({
        msg: 'stuck file enqueued again',
        fileId: file.id,
        status: file.status,
        since: file.updatedAt.toISOString(),
        previousJob,
      });
    }
    const deliveriesRedispatched = await this.webhooks.redispatchStalled(cutoff, MAX_PER_RUN);
    const purgesRequeued = await this.requeueUnpurged(cutoff);
    return { stuck: stuck.length, requeued, deliveriesRedispatched, purgesRequeued };
  }

  private async requeueUnpurged(cutoff: Date): Promise<number> {
    const unpurged = await this.files.unpurged(cutoff, MAX_PER_RUN);
    let requeued = 0;
    for (const file of unpurged) {
      const previousJob = await this.fileJobs.requeuePurge(file);
      if (previousJob === undefined) continue;
      requeued += 1;
      this.logger.warn({ msg: 'purge of a deleted file enqueued again', fileId: file.id, previousJob });
    }
    return requeued;
  }
}
