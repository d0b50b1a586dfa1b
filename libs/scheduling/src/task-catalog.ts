import { SCHEDULER_TASKS, type SchedulerConfig, type SchedulerTaskName } from '@depot/config';
import { CronSchedule } from './cron-schedule';

/**
 * The scheduler's tasks and what each does. A task is a cron and nothing more: its
 * `scheduler.tasks.<name>` gives the cron and whether it runs, each tick enqueues the
 * `maintenance` job of the same name, and the worker's one handler for that job does the
 * work (`JobHandlers<'maintenance'>` makes the compiler require one per task).
 */
export const TASK_SUMMARIES: Readonly<Record<SchedulerTaskName, string>> = {
  retentionSweep:
    'deletes and purges files past their expiresAt (their own, or their bucket retentionDays), ' +
    'removes resumable uploads abandoned for uploads.expireAfterSeconds, ' +
    'and prunes scheduler runs older than scheduler.keepRunsForDays',
  requeueStuck:
    'enqueues again files pending or processing for files.stuckAfterSeconds, dispatches again ' +
    'webhook deliveries left pending as long, purges again deleted files whose bytes remain, ' +
    'and removes upload bytes left that long in incoming/ without a file row (an api killed mid-upload)',
  usageReport:
    'writes reports/usage/YYYY-MM-DD.csv on the default disk for the last whole UTC day: ' +
    'per tenant, files and bytes held at its end and uploads during it',
};

export interface TaskDescription {
  task: SchedulerTaskName;
  /** What the worker does on each run. */
  summary: string;
  enabled: boolean;
  cron: string;
  /** The next runs after `from`, or the reason the cron cannot be used. */
  nextRuns: Date[] | { error: string };
}

/** Each task as configured, with its next `count` run times (for `npm run scheduler:list`). */
export function describeTasks(
  config: SchedulerConfig,
  from: Date = new Date(),
  count = 3,
): TaskDescription[] {
  return SCHEDULER_TASKS.map((task) => {
    const { cron, enabled } = config.tasks[task];
    let nextRuns: TaskDescription['nextRuns'];
    try {
      nextRuns = CronSchedule.parse(cron).nextRuns(from, count);
    } catch (error) {
      nextRuns = { error: error instanceof Error ? error.message : String(error) };
    }
    return { task, summary: TASK_SUMMARIES[task], enabled, cron, nextRuns };
  });
}

/** Narrows an operator's input to a task name. */
export function isSchedulerTask(name: string): name is SchedulerTaskName {
  return (SCHEDULER_TASKS as readonly string[]).includes(name);
}
