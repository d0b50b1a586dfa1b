import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SchedulerRunsRepository } from '@depot/scheduling';
import { AdminOnly } from '../http/auth.decorators';
import { ApiProblems } from '../http/problem.schema';
import { SchedulerRunDto, SchedulerRunListDto, SchedulerRunsQueryDto } from './scheduler-runs.dto';

/** The scheduler's ticks as claimed in `scheduler_runs`: one row per tick, whichever replica won it. */
@ApiTags('admin')
@AdminOnly()
@Controller('v1/admin/scheduler/runs')
export class SchedulerRunsController {
  constructor(private readonly runs: SchedulerRunsRepository) {}

  @Get()
  @ApiOperation({ summary: 'Recent scheduler ticks, newest first, with the job each one enqueued.' })
  @ApiOkResponse({ type: SchedulerRunListDto })
  @ApiProblems(400)
  async list(@Query() query: SchedulerRunsQueryDto): Promise<SchedulerRunListDto> {
    const runs = await this.runs.recent({ task: query.task, limit: query.limit });
    return { items: runs.map((run) => SchedulerRunDto.from(run)) };
  }
}
