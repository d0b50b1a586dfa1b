import { SCHEDULER_TASKS, type SchedulerConfig, type SchedulerTaskName } from '@depot/config';
import { CronSchedule } from './cron-schedule';

export interface TaskDescription {
  task: SchedulerTaskName;
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
    return { task, enabled, cron, nextRuns };
  });
}

/** Narrows an operator's input to a task name. */
export function isSchedulerTask(name: string): name is SchedulerTaskName {
  return (SCHEDULER_TASKS as readonly string[]).includes(name);
}
