import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { SchedulerRunEntity } from './entities/scheduler-run.entity';

export interface RecentRunsQuery {
  task?: string;
  limit: number;
}

/** The `scheduler_runs` table: one row per claimed tick, its unique key the claim itself. */
@Injectable()
export class SchedulerRunsRepository {
  constructor(@InjectRepository(SchedulerRunEntity) private readonly runs: Repository<SchedulerRunEntity>) {}

  /**
   * Claims the tick: `INSERT ... ON CONFLICT (task, scheduled_at) DO NOTHING`. Exactly one
   * of any number of concurrent callers gets the new row's id; the others get undefined.
   * PostgreSQL makes the losers wait on the winner's uncommitted row, so there is no window
   * in which two see it free.
   */
  async claim(task: string, scheduledAt: Date, claimedBy: string): Promise<string | undefined> {
    const id = randomUUID();
    const result = await this.runs
      .createQueryBuilder()
      .insert()
      .into(SchedulerRunEntity)
      .values({ id, task, scheduledAt, claimedBy })
      .orIgnore()
      .returning(['id'])
      .execute();
    const [row] = result.raw as Array<{ id: string }>;
    return row?.id;
  }

  async markEnqueued(id: string, jobId: string, enqueuedAt: Date = new Date()): Promise<void> {
    await this.runs.update({ id }, { jobId, enqueuedAt });
  }

  /** Deletes the record of ticks scheduled before `before`; returns how many. */
  async deleteScheduledBefore(before: Date): Promise<number> {
    const result = await this.runs.delete({ scheduledAt: LessThan(before) });
    return result.affected ?? 0;
  }

  /** The latest ticks, newest first, of one task or of all. */
  recent({ task, limit }: RecentRunsQuery): Promise<SchedulerRunEntity[]> {
    return this.runs.find({
      where: task ? { task } : {},
      order: { scheduledAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }
}
