import { databaseDependency } from '@depot/database';
import { queueDependency } from '@depot/queue';
import { runApp } from '@depot/runtime';
import { SchedulerModule } from './scheduler.module';

void runApp({
  name: 'scheduler',
  module: SchedulerModule,
  listen: (config) => config.scheduler,
  dependencies: (config) => [databaseDependency(config.database), queueDependency(config)],
});
