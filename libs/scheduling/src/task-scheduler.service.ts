import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { Counter } from 'prom-client';
import { SCHEDULER_TASKS, SchedulerConfig } from '@depot/config';
import { MetricsRegistry } from '@depot/observability';
import { CronSchedule, SCHEDULE_TIME_ZONE } from './cron-schedule';
import { SCHEDULED_TASKS, type ScheduledTask } from './scheduled-task';
import { TaskDispatcher, type TickOutcome } from './task-dispatcher.service';

const TICK_OUTCOMES: ReadonlyArray<TickOutcome['outcome']> = ['claimed', 'skipped', 'failed'];

/**
 * Registers each enabled task's cron with @nestjs/schedule when the scheduler boots, and on
 * each firing hands the tick (the scheduled time, not the time the timer fired) to the
 * {@link TaskDispatcher}. Only future ticks fire: ticks that passed while no scheduler ran
 * are not replayed, and a timer that fires late fires once, for the latest tick.
 *
 * Needs `ScheduleModule.forRoot()` in the hosting app, which provides `SchedulerRegistry`.
 */
@Injectable()
export class TaskScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TaskScheduler.name);
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly ticks: Counter<'task' | 'outcome'>;

  constructor(
    @Inject(SCHEDULED_TASKS) private readonly tasks: ScheduledTask[],
    private readonly config: SchedulerConfig,
    private readonly registry: SchedulerRegistry,
    private readonly dispatcher: TaskDispatcher,
    metrics: MetricsRegistry,
  ) {
    this.ticks = metrics.counter({
      name: 'depot_scheduler_ticks_total',
      help: 'Cron ticks this scheduler fired, by task and outcome: claimed (won and enqueued), skipped (another replica had claimed it), failed (could not claim, or claimed but could not enqueue).',
      labelNames: ['task', 'outcome'],
    });
  }

  onApplicationBootstrap(): void {
    const hosted = this.tasks.map((task) => task.name);
    const missing = SCHEDULER_TASKS.filter((name) => !hosted.includes(name));
    const repeated = hosted.filter((name, index) => hosted.indexOf(name) !== index);
    if (missing.length > 0 || repeated.length > 0) {
      throw new Error(
        `the scheduler must host each task exactly once (missing: ${missing.join(', ') || 'none'}; repeated: ${repeated.join(', ') || 'none'})`,
      );
    }
    for (const task of this.tasks) {
      const { cron, enabled } = this.config.tasks[task.name];
      if (!enabled) {
        this.logger.log({ task: task.name, cron, msg: 'task disabled by config' });
        continue;
      }
      const schedule = CronSchedule.parse(cron);
      const job = CronJob.from({
        name: task.name,
        cronTime: schedule.expression,
        timeZone: SCHEDULE_TIME_ZONE,
        onTick: () => this.fire(task, schedule),
        start: false,
      });
      for (const outcome of TICK_OUTCOMES) this.ticks.inc({ task: task.name, outcome }, 0);
      this.registry.addCronJob(task.name, job);
      job.start();
      const next = schedule.nextRuns(new Date(), 1)[0];
      this.logger.log({ task: task.name, cron, next: next?.toISOString(), msg: 'task scheduled' });
    }
  }

  /** Stops the timers, then waits for ticks being claimed or enqueued to finish. */
  async onModuleDestroy(): Promise<void> {
    for (const task of this.tasks) {
      if (this.registry.doesExist('cron', task.name)) {
        await this.registry.getCronJob(task.name).stop();
        this.registry.deleteCronJob(task.name);
      }
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private fire(task: ScheduledTask, schedule: CronSchedule): void {
    const tick = this.dispatcher
      .dispatchTick(task.name, schedule.tickAt(new Date()))
      .then(({ outcome }) => this.ticks.inc({ task: task.name, outcome }));
    this.inFlight.add(tick);
    void tick.finally(() => this.inFlight.delete(tick));
  }
}
