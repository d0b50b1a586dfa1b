import { databaseDependency } from '@depot/database';
import { redisDependency } from '@depot/queue';
import { runApp } from '@depot/runtime';
import { storageDependency } from '@depot/storage';
import { WorkerModule } from './worker.module';

void runApp({
  name: 'worker',
  module: WorkerModule,
  listen: (config) => config.worker,
  dependencies: (config) => [
    databaseDependency(config.database),
    redisDependency(config.redis),
    storageDependency(config.storage),
  ],
});
