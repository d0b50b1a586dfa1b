import { databaseAddress, probeDatabase } from '@depot/database';
import { probeRedis, redisAddress } from '@depot/queue';
import { runApp } from '@depot/runtime';
import { SchedulerModule } from './scheduler.module';

void runApp({
  name: 'scheduler',
  module: SchedulerModule,
  listen: (config) => config.scheduler,
  dependencies: (config) => [
    {
      name: 'PostgreSQL',
      address: databaseAddress(config.database),
      probe: () => probeDatabase(config.database),
    },
    { name: 'Redis', address: redisAddress(config.redis), probe: () => probeRedis(config.redis) },
  ],
});
