import { databaseDependency } from '@depot/database';
import { queueDependency } from '@depot/queue';
import { runApp } from '@depot/runtime';
import { storageDependency } from '@depot/storage';
import { WorkerModule } from './worker.module';

void runApp({
  name: 'worker',
  module: WorkerModule,
  listen: (config) => config.worker,
  dependencies: (config) => [
    databaseDependency(config.database),
    queueDependency(config),
    storageDependency(config.storage),
  ],
});
