import { databaseAddress, probeDatabase } from '@depot/database';
import { probeRedis, redisAddress } from '@depot/queue';
import { runApp } from '@depot/runtime';
import { WorkerModule } from './worker.module';

void runApp({
  name: 'worker',
  module: WorkerModule,
  listen: (config) => config.worker,
  dependencies: (config) => [
    {
      name: 'PostgreSQL',
      address: databaseAddress(config.database),
      probe: () => probeDatabase(config.database),
    },
    { name: 'Redis', address: redisAddress(config.redis), probe: () => probeRedis(config.redis) },
  ],
});
