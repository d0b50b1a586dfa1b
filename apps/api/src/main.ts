import { databaseAddress, probeDatabase } from '@depot/database';
import { probeRedis, redisAddress } from '@depot/queue';
import { runApp } from '@depot/runtime';
import { ApiModule } from './api.module';
import { registerQueuesDashboard } from './admin/queues-dashboard';
import { registerHardening } from './http/hardening';
import { setupOpenApi } from './http/openapi';

void runApp({
  name: 'api',
  module: ApiModule,
  listen: (config) => config.api,
  http: (config) => ({
    bodyLimit: config.api.bodyLimitBytes,
    requestTimeout: config.api.requestTimeoutMs,
    trustProxy: config.api.trustProxy,
  }),
  dependencies: (config) => [
    {
      name: 'PostgreSQL',
      address: databaseAddress(config.database),
      probe: () => probeDatabase(config.database),
    },
    { name: 'Redis', address: redisAddress(config.redis), probe: () => probeRedis(config.redis) },
  ],
  configure: async (app, config) => {
    await registerHardening(app, config.api, config.redis);
    await registerQueuesDashboard(app);
    if (config.api.docs.enabled) setupOpenApi(app);
  },
});
