export * from './cron-schedule';
export * from './entities/scheduler-run.entity';
export * from './scheduled-task';
export * from './scheduler-runs.repository';
export * from './scheduling.module';
export * from './task-catalog';
export * from './task-dispatcher.service';
export * from './task-scheduler.service';
