import { Module } from '@nestjs/common';
import { QueueModule } from '@depot/queue';
import { SchedulingModule } from '@depot/scheduling';
import { AuthModule } from '../http/auth.module';
import { QueuesController } from './queues.controller';
import { SchedulerRunsController } from './scheduler-runs.controller';

/** The operator's admin routes under /v1/admin. */
@Module({
  imports: [AuthModule, QueueModule, SchedulingModule],
  controllers: [QueuesController, SchedulerRunsController],
})
export class AdminApiModule {}
