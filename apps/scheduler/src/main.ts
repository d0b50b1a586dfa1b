import { databaseDependency } from '@depot/database';
import { redisDependency } from '@depot/queue';
import { runApp } from '@depot/runtime';
import { SchedulerModule } from './scheduler.module';

void runApp({
  name: 'scheduler',
  module: SchedulerModule,
  listen: (config) => config.scheduler,
  dependencies: (config) => [databaseDependency(config.database), redisDependency(config.redis)],
});
