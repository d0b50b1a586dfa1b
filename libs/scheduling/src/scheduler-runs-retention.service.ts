import { Injectable } from '@nestjs/common';
import { SchedulerConfig } from '@depot/config';
import { SchedulerRunsRepository } from './scheduler-runs.repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps `scheduler_runs` to `scheduler.keepRunsForDays` (one row per tick adds up: a
 * one-minute cron is half a million a year). Run by the worker with retentionSweep.
 */
@Injectable()
export class SchedulerRunsRetentionService {
  constructor(
    private readonly runs: SchedulerRunsRepository,
    private readonly config: SchedulerConfig,
  ) {}

  /** Returns how many runs were deleted. */
  run(now: Date = new Date()): Promise<number> {
    return this.runs.deleteScheduledBefore(new Date(now.getTime() - this.config.keepRunsForDays * DAY_MS));
  }
}
