export { SchedulerRunEntity } from './entities/scheduler-run.entity';
export { SchedulerRunsRetentionService } from './scheduler-runs-retention.service';
export { SchedulerRunsRepository } from './scheduler-runs.repository';
export { SchedulingModule } from './scheduling.module';
export { describeTasks, isSchedulerTask } from './task-catalog';
export { TaskDispatcherService } from './task-dispatcher.service';
export { TaskSchedulerService } from './task-scheduler.service';
