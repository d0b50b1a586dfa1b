export * from './entities/scheduler-run.entity';
