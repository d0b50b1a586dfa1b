import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { SCHEDULER_TASKS, type SchedulerTaskName } from '@depot/config';
import type { SchedulerRunEntity } from '@depot/scheduling';

export const DEFAULT_RUNS = 50;
export const MAX_RUNS = 500;

export class SchedulerRunsQueryDto {
  @ApiPropertyOptional({ enum: SCHEDULER_TASKS, description: 'Only this task’s runs.' })
  @IsOptional()
  @IsIn(SCHEDULER_TASKS, { message: `task must be one of ${SCHEDULER_TASKS.join(', ')}` })
  task?: SchedulerTaskName;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RUNS, default: DEFAULT_RUNS })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_RUNS)
  limit: number = DEFAULT_RUNS;
}

export class SchedulerRunDto {
  @ApiProperty({ enum: SCHEDULER_TASKS })
  task!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'The tick: the time the cron named, not when a timer fired.',
  })
  scheduledAt!: string;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When its job was enqueued; null if the scheduler that claimed it could not enqueue it.',
  })
  enqueuedAt!: string | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: '`<task>-<epoch ms>` for a tick, `<task>-manual-<epoch ms>` for `npm run scheduler:run`.',
    example: 'requeueStuck-1795891368000',
  })
  jobId!: string | null;

  @ApiProperty({
    description: 'The scheduler process that claimed it (host:pid).',
    example: 'scheduler-7d9f:1',
  })
  claimedBy!: string;

  static from(run: SchedulerRunEntity): SchedulerRunDto {
    return {
      task: run.task,
      scheduledAt: run.scheduledAt.toISOString(),
      enqueuedAt: run.enqueuedAt?.toISOString() ?? null,
      jobId: run.jobId,
      claimedBy: run.claimedBy,
    };
  }
}

export class SchedulerRunListDto {
  @ApiProperty({ type: [SchedulerRunDto] })
  items!: SchedulerRunDto[];
}
