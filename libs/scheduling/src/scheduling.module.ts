import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule } from '@depot/config';
import { QueueModule } from '@depot/queue';
import { SchedulerRunEntity } from './entities/scheduler-run.entity';
import { SchedulerRunsRetentionService } from './scheduler-runs-retention.service';
import { SchedulerRunsRepository } from './scheduler-runs.repository';
import { TaskDispatcherService } from './task-dispatcher.service';

/**
 * Ticks claimed in `scheduler_runs` and enqueued as `maintenance` jobs. The scheduler app
 * adds {@link TaskSchedulerService} and its tasks on top; the api reads recent runs; the operator
 * scripts enqueue a run now; the worker deletes old runs.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SchedulerRunEntity]), ConfigModule, QueueModule],
  providers: [SchedulerRunsRepository, SchedulerRunsRetentionService, TaskDispatcherService],
  exports: [SchedulerRunsRepository, SchedulerRunsRetentionService, TaskDispatcherService, ConfigModule],
})
export class SchedulingModule {}
