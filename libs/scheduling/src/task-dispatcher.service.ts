import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import type { SchedulerTaskName } from '@depot/config';
import { withLogContext } from '@depot/observability';
import { JobQueueService } from '@depot/queue';
import { SchedulerRunsRepository } from './scheduler-runs.repository';

/** What became of one replica's firing of a tick. */
export type TickOutcome =
  /** This replica won the tick and enqueued its job. */
  | { outcome: 'claimed'; runId: string; jobId: string }
  /** Another replica had claimed the tick already. */
  | { outcome: 'skipped' }
  /** The claim or the enqueue failed; the tick's row, if any, has no `enqueued_at`. */
  | { outcome: 'failed'; error: unknown };

export interface ManualRun {
  runId: string;
  jobId: string;
  scheduledAt: Date;
}

/** The job id of a task's tick: `<task>-<epoch ms>`, the same on every replica (BullMQ ids may not hold ':'). */
export function tickJobId(task: SchedulerTaskName, scheduledAt: Date): string {
  return `${task}-${scheduledAt.getTime()}`;
}

/**
 * Turns ticks into `maintenance` jobs, once each. A tick is claimed by inserting
 * `(task, scheduled_at)` into `scheduler_runs`; only the replica whose insert wins enqueues,
 * with a job id derived from the tick, and then records the job on the row. The job's
 * `requestId` is its id, so the worker's log lines for it, and for the webhook deliveries it
 * causes, carry the tick that started them.
 */
@Injectable()
export class TaskDispatcherService {
  /** Which process claimed a tick, for `scheduler_runs.claimed_by`. */
  readonly instance = `${hostname()}:${process.pid}`;
  private readonly logger = new Logger(TaskDispatcherService.name);

  constructor(
    private readonly runs: SchedulerRunsRepository,
    private readonly jobs: JobQueueService,
  ) {}

  /** Claims the tick of `task` at `scheduledAt` and, if this replica wins it, enqueues its job. Never throws. */
  async dispatchTick(task: SchedulerTaskName, scheduledAt: Date): Promise<TickOutcome> {
    const jobId = tickJobId(task, scheduledAt);
    return withLogContext({ requestId: jobId }, async () => {
      const fields = { task, scheduledAt: scheduledAt.toISOString(), jobId };
      let runId: string | undefined;
      try {
        runId = await this.runs.claim(task, scheduledAt, this.instance);
      } catch (error) {
        return this.failed(error, { ...fields, msg: 'could not claim tick' });
      }
      if (!runId) {
        this.logger.debug({ ...fields, msg: 'tick already claimed by another scheduler' });
        return { outcome: 'skipped' };
      }
      try {
        await this.enqueue(task, scheduledAt, jobId, runId);
      } catch (error) {
        return this.failed(error, {
          ...fields,
          runId,
          msg: 'claimed tick but could not enqueue its job',
        });
      }
      this.logger.log({ ...fields, runId, msg: 'tick claimed and enqueued' });
      return { outcome: 'claimed', runId, jobId };
    });
  }

  /**
   * Enqueues one run of `task` now, outside its cron (`npm run scheduler:run`). It is
   * recorded in `scheduler_runs` like a tick, and its job id says it was manual.
   */
  async runNow(task: SchedulerTaskName, now: Date = new Date()): Promise<ManualRun> {
    const jobId = `${task}-manual-${now.getTime()}`;
    const runId = await this.runs.claim(task, now, `manual ${this.instance}`);
    if (!runId) throw new Error(`a run of ${task} at ${now.toISOString()} is already recorded`);
    await this.enqueue(task, now, jobId, runId);
    return { runId, jobId, scheduledAt: now };
  }

  private async enqueue(
    task: SchedulerTaskName,
    scheduledAt: Date,
    jobId: string,
    runId: string,
  ): Promise<void> {
    await this.jobs.add(
      'maintenance',
      task,
      { scheduledAt: scheduledAt.toISOString(), requestId: jobId },
      { jobId },
    );
    await this.runs.markEnqueued(runId, jobId);
  }

  private failed(error: unknown, fields: Record<string, unknown>): TickOutcome {
    this.logger.error({ ...fields, err: error });
    return { outcome: 'failed', error };
  }
}
