import { Processor } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { WorkerConfig } from '@depot/config';
import {
  OrphanBytesService,
  RequeueStuckService,
  RetentionSweepService,
  UploadExpiryService,
  UsageReportService,
} from '@depot/files';
import { type JobHandlers, QueueProcessor } from '@depot/queue';
import { SchedulerRunsRetentionService } from '@depot/scheduling';

/**
 * The `maintenance` queue: one job per scheduler tick (or `npm run scheduler:run`), named
 * after its task. The work is in `@depot/files` (maintenance) and `@depot/scheduling`; each is safe to run twice,
 * so a retried or repeated job does no harm.
 */
@Processor('maintenance')
export class MaintenanceProcessor extends QueueProcessor<'maintenance'> implements OnApplicationBootstrap {
  readonly queueName = 'maintenance';

  protected readonly handlers: JobHandlers<'maintenance'> = {
    retentionSweep: () => this.report('retentionSweep', this.sweep()),
    requeueStuck: () => this.report('requeueStuck', this.recover()),
    usageReport: ({ scheduledAt }) => this.report('usageReport', this.usage.run(new Date(scheduledAt))),
  };

  constructor(
    private readonly retention: RetentionSweepService,
    private readonly requeue: RequeueStuckService,
    private readonly orphans: OrphanBytesService,
    private readonly usage: UsageReportService,
    private readonly uploadExpiry: UploadExpiryService,
    private readonly runs: SchedulerRunsRetentionService,
    private readonly config: WorkerConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.concurrency.maintenance;
  }

  /** Expired files, abandoned resumable uploads, and the record of ticks older than `scheduler.keepRunsForDays`. */
  private async sweep(): Promise<object> {
    const files = await this.retention.run();
    const uploads = await this.uploadExpiry.run();
    return { ...files, ...uploads, schedulerRunsDeleted: await this.runs.run() };
  }

  /** What a crash or an outage left half done: lost jobs enqueued again, and upload bytes no row leads to. */
  private async recover(): Promise<object> {
    const requeued = await this.requeue.run();
    return { ...requeued, ...(await this.orphans.run()) };
  }

  /** Logs what the task did and keeps it as the job's return value (visible in Bull Board). */
  private async report<T extends object>(task: string, run: Promise<T>): Promise<T> {
    const result = await run;
    this.logger.log({ ...result, task, msg: `${task} done` });
    return result;
  }
}
