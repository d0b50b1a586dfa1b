import { Injectable, Logger } from '@nestjs/common';
import { In, LessThan } from 'typeorm';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { FilesConfig } from '@depot/config';
import { JobQueue } from '@depot/queue';
import { WebhookEvents } from '@depot/webhooks';
import { FileEntity } from '../entities/file.entity';

export interface RequeueStuckResult {
  /** Files found pending or processing for longer than `files.stuckAfterSeconds`. */
  stuck: number;
  /** Of those, the ones whose job was gone or finished, and that were enqueued again. */
  requeued: number;
  /** Pending webhook deliveries of the same age whose job was gone, dispatched again. */
  deliveriesRedispatched: number;
}

const MAX_PER_RUN = 1000;

/**
 * `requeueStuck`: what makes an enqueue lost to a Redis outage (or a job lost with a worker)
 * harmless. Files left `pending` or `processing` for longer than `files.stuckAfterSeconds`
 * are enqueued again as `files.process` with their own id as the job id; one whose job is
 * still waiting, delayed or active is left alone, so no file is ever processed by two jobs
 * at once. Webhook deliveries left pending as long are dispatched again the same way.
 * Running twice is harmless: the second run finds every job in place.
 */
@Injectable()
export class RequeueStuckService {
  private readonly logger = new Logger(RequeueStuckService.name);

  constructor(
    @InjectRepository(FileEntity) private readonly files: Repository<FileEntity>,
    private readonly jobs: JobQueue,
    private readonly webhooks: WebhookEvents,
    private readonly config: FilesConfig,
  ) {}

  async run(now: Date = new Date()): Promise<RequeueStuckResult> {
    const cutoff = new Date(now.getTime() - this.config.stuckAfterSeconds * 1000);
    const stuck = await this.files.find({
      select: { id: true, tenantId: true, status: true, updatedAt: true },
      where: { status: In(['pending', 'processing']), updatedAt: LessThan(cutoff) },
      order: { updatedAt: 'ASC' },
      take: MAX_PER_RUN,
    });
    let requeued = 0;
    for (const file of stuck) {
      if (await this.requeue(file)) requeued += 1;
    }
    const deliveriesRedispatched = await this.webhooks.redispatchStalled(cutoff, MAX_PER_RUN);
    return { stuck: stuck.length, requeued, deliveriesRedispatched };
  }

  private async requeue(file: FileEntity): Promise<boolean> {
    const job = await this.jobs.queue('files').getJob(file.id);
    const state = job ? await job.getState() : 'missing';
    if (job && state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
    // Finished without settling the file (retries exhausted, or a worker lost on the last
    // attempt): make room for a fresh job under the same id.
    if (job) await job.remove();
    await this.jobs.add('files', 'process', { fileId: file.id, tenantId: file.tenantId }, { jobId: file.id });
    this.logger.warn({
      msg: 'stuck file enqueued again',
      fileId: file.id,
      status: file.status,
      since: file.updatedAt.toISOString(),
      previousJob: state,
    });
    return true;
  }
}
