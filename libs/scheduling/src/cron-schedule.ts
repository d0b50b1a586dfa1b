import { CronExpressionParser } from 'cron-parser';
import { CronTime } from 'cron';

/** Crons are read in UTC on every replica, so that all of them agree on when a tick is. */
export const SCHEDULE_TIME_ZONE = 'UTC';

/**
 * How early a timer may fire and still belong to the tick it was set for. Timers fire a
 * millisecond or two around their deadline; no cron ticks more often than once a second.
 */
const EARLY_FIRE_ALLOWANCE_MS = 100;

/** A cron expression that the scheduler cannot use. */
export class InvalidCronError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`invalid cron "${expression}": ${reason}`);
    this.name = 'InvalidCronError';
  }
}

/**
 * One task's cron: five fields (minute first) or six (seconds first), in UTC. The scheduler
 * fires it through @nestjs/schedule (the `cron` package); this answers the questions that
 * package does not: which tick a firing belongs to, and when the next runs are.
 */
export class CronSchedule {
  private constructor(readonly expression: string) {}

  /** Throws {@link InvalidCronError} unless both the firing and the parsing library accept it. */
  static parse(expression: string): CronSchedule {
    const fields = expression.trim().split(/\s+/);
    if (fields.length !== 5 && fields.length !== 6) {
      throw new InvalidCronError(expression, 'expected five fields, or six with seconds first');
    }
    try {
      new CronTime(expression, SCHEDULE_TIME_ZONE);
      CronExpressionParser.parse(expression, { tz: SCHEDULE_TIME_ZONE, strict: false });
    } catch (error) {
      throw new InvalidCronError(expression, error instanceof Error ? error.message : String(error));
    }
    return new CronSchedule(fields.join(' '));
  }

  /**
   * The tick a firing at `firedAt` is for: the latest scheduled time at or before it
   * (allowing for a timer that fires a hair early). Every replica maps its own firing of a
   * tick to the same instant, whatever its timer's jitter, which is what makes the
   * `(task, scheduled_at)` claim meet.
   */
  tickAt(firedAt: Date): Date {
    return this.iterate(new Date(firedAt.getTime() + EARLY_FIRE_ALLOWANCE_MS + 1))
      .prev()
      .toDate();
  }

  /** The next `count` scheduled times strictly after `from`. */
  nextRuns(from: Date, count: number): Date[] {
    return this.iterate(from)
      .take(count)
      .map((date) => date.toDate());
  }

  private iterate(currentDate: Date) {
    return CronExpressionParser.parse(this.expression, { currentDate, tz: SCHEDULE_TIME_ZONE });
  }
}
