export { SchedulerRunEntity } from './entities/scheduler-run.entity';
export { SchedulerRunsRetention } from './scheduler-runs-retention.service';
export { SchedulerRunsRepository } from './scheduler-runs.repository';
export { SchedulingModule } from './scheduling.module';
export { describeTasks, isSchedulerTask } from './task-catalog';
export { TaskDispatcher } from './task-dispatcher.service';
export { TaskScheduler } from './task-scheduler.service';
