import type { Provider, Type } from '@nestjs/common';
import type { SchedulerTaskName } from '@depot/config';

/**
 * One cron task the scheduler hosts (`apps/scheduler/src/tasks/*.task.ts`). Its cron and
 * whether it runs come from `scheduler.tasks.<name>`; each tick enqueues the `maintenance`
 * job of the same name, which the worker runs. A task never does the work itself.
 */
export abstract class ScheduledTask {
  abstract readonly name: SchedulerTaskName;
}

/** The injection token for the list of {@link ScheduledTask}s the scheduler app hosts. */
export const SCHEDULED_TASKS = Symbol('SCHEDULED_TASKS');

/** Providers for the tasks an app hosts, and the {@link SCHEDULED_TASKS} list of them. */
export function provideScheduledTasks(...tasks: Array<Type<ScheduledTask>>): Provider[] {
  return [
    ...tasks,
    { provide: SCHEDULED_TASKS, useFactory: (...hosted: ScheduledTask[]) => hosted, inject: tasks },
  ];
}
