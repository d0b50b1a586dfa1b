import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { JobQueueService, QUEUE_NAMES, type QueueName } from '@depot/queue';
import { AdminOnly } from '../http/auth.decorators';
import { notFound } from '../http/problem';
import { ApiProblems } from '../http/problem.schema';
import { QueueCountsListDto, RetryFailedDto } from './queues.dto';

const isQueueName = (name: string): name is QueueName => (QUEUE_NAMES as readonly string[]).includes(name);

/** The operator's view of the queues; the Bull Board dashboard at /admin/queues shows the jobs themselves. */
@ApiTags('admin')
@AdminOnly()
@Controller('v1/admin/queues')
export class QueuesController {
  constructor(private readonly jobs: JobQueueService) {}

  @Get()
  @ApiOperation({ summary: 'Job counts per queue: waiting, active, delayed, completed, failed.' })
  @ApiOkResponse({ type: QueueCountsListDto })
  async counts(): Promise<QueueCountsListDto> {
    const items = await Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const counts = await this.jobs
          .queue(name)
          .getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
        return {
          name,
          waiting: counts.waiting ?? 0,
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          completed: counts.completed ?? 0,
          failed: counts.failed ?? 0,
        };
      }),
    );
    return { items };
  }

  @Post(':name/retry-failed')
  @HttpCode(202)
  @ApiOperation({ summary: 'Move every failed job of a queue back to waiting; the worker picks them up.' })
  @ApiParam({ name: 'name', enum: QUEUE_NAMES })
  @ApiAcceptedResponse({ type: RetryFailedDto })
  @ApiProblems(404)
  async retryFailed(@Param('name') name: string): Promise<RetryFailedDto> {
    if (!isQueueName(name)) throw notFound('queue');
    const queue = this.jobs.queue(name);
    const retried = (await queue.getJobCounts('failed')).failed ?? 0;
    await queue.retryJobs({ state: 'failed' });
    return { queue: name, retried };
  }
}
