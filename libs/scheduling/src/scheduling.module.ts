import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule } from '@depot/config';
import { QueueModule } from '@depot/queue';
import { SchedulerRunEntity } from './entities/scheduler-run.entity';
import { SchedulerRunsRepository } from './scheduler-runs.repository';
import { TaskDispatcher } from './task-dispatcher.service';

/**
 * Ticks claimed in `scheduler_runs` and enqueued as `maintenance` jobs. The scheduler app
 * adds {@link TaskScheduler} and its tasks on top; the api reads recent runs; the operator
 * scripts enqueue a run now.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SchedulerRunEntity]), ConfigModule, QueueModule],
  providers: [SchedulerRunsRepository, TaskDispatcher],
  exports: [SchedulerRunsRepository, TaskDispatcher, ConfigModule],
})
export class SchedulingModule {}
