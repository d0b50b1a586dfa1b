import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { Counter } from 'prom-client';
import { SCHEDULER_TASKS, SchedulerConfig, type SchedulerTaskName } from '@depot/config';
import { MetricsRegistry } from '@depot/observability';
import { CronSchedule, SCHEDULE_TIME_ZONE } from './cron-schedule';
import { TaskDispatcherService, type TickOutcome } from './task-dispatcher.service';

const TICK_OUTCOMES: ReadonlyArray<TickOutcome['outcome']> = ['claimed', 'skipped', 'failed'];

/**
 * Registers the cron of each enabled task (see the task catalog) with @nestjs/schedule when
 * the scheduler boots, and on each firing hands the tick (the scheduled time, not the time the timer fired) to the
 * {@link TaskDispatcherService}. Only future ticks fire: ticks that passed while no scheduler ran
 * are not replayed, and a timer that fires late fires once, for the latest tick.
 *
 * Needs `ScheduleModule.forRoot()` in the hosting app, which provides `SchedulerRegistry`.
 */
@Injectable()
export class TaskSchedulerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TaskSchedulerService.name);
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly ticks: Counter<'task' | 'outcome'>;

  constructor(
    private readonly config: SchedulerConfig,
    private readonly registry: SchedulerRegistry,
    private readonly dispatcher: TaskDispatcherService,
    metrics: MetricsRegistry,
  ) {
    this.ticks = metrics.counter({
      name: 'depot_scheduler_ticks_total',
      help: 'Cron ticks this scheduler fired, by task and outcome: claimed (won and enqueued), skipped (another replica had claimed it), failed (could not claim, or claimed but could not enqueue).',
      labelNames: ['task', 'outcome'],
    });
  }

  onApplicationBootstrap(): void {
    for (const task of SCHEDULER_TASKS) {
      const { cron, enabled } = this.config.tasks[task];
      if (!enabled) {
        this.logger.log({ task, cron, msg: 'task disabled by config' });
        continue;
      }
      const schedule = CronSchedule.parse(cron);
      const job = CronJob.from({
        name: task,
        cronTime: schedule.expression,
        timeZone: SCHEDULE_TIME_ZONE,
        onTick: () => this.fire(task, schedule),
        start: false,
      });
      for (const outcome of TICK_OUTCOMES) this.ticks.inc({ task, outcome }, 0);
      this.registry.addCronJob(task, job);
      job.start();
      const next = schedule.nextRuns(new Date(), 1)[0];
      this.logger.log({ task, cron, next: next?.toISOString(), msg: 'task scheduled' });
    }
  }

  /** Stops the timers, then waits for ticks being claimed or enqueued to finish. */
  async onModuleDestroy(): Promise<void> {
    for (const task of SCHEDULER_TASKS) {
      if (this.registry.doesExist('cron', task)) {
        await this.registry.getCronJob(task).stop();
        this.registry.deleteCronJob(task);
      }
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private fire(task: SchedulerTaskName, schedule: CronSchedule): void {
    const tick = this.dispatcher
      .dispatchTick(task, schedule.tickAt(new Date()))
      .then(({ outcome }) => this.ticks.inc({ task, outcome }));
    this.inFlight.add(tick);
    void tick.finally(() => this.inFlight.delete(tick));
  }
}
