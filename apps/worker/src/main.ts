import { databaseAddress, probeDatabase } from '@depot/database';
import { probeRedis, redisAddress } from '@depot/queue';
import { runApp } from '@depot/runtime';
import { diskAddress, probeDisk } from '@depot/storage';
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
    {
      name: 'storage',
      address: diskAddress(config.storage.disks[config.storage.default]!),
      probe: () => probeDisk(config.storage.default, config.storage.disks[config.storage.default]!),
    },
  ],
});
