import { databaseDependency } from '@depot/database';
import { queueDependency } from '@depot/queue';
import { runApp } from '@depot/runtime';
import { storageDependency } from '@depot/storage';
import { ApiModule } from './api.module';
import type * as QueuesDashboard from './admin/queues-dashboard';
import { registerMultipart } from './files/multipart';
import { registerHardening } from './http/hardening';
import { setupOpenApi } from './http/openapi';
import { frameworkErrors } from './http/problem.filter';
import { registerTusBody } from './uploads/tus-body';

const MAX_PATH_PARAM_LENGTH = 8192;

/** Bull Board is loaded only when the dashboard is on (`api.queuesDashboard.enabled`). */
function loadQueuesDashboard(): typeof QueuesDashboard {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy, see above
  return require('./admin/queues-dashboard') as typeof QueuesDashboard;
}

void runApp({
  name: 'api',
  module: ApiModule,
  listen: (config) => config.api,
  http: (config) => ({
    bodyLimit: config.api.bodyLimitBytes,
    requestTimeout: config.api.requestTimeoutMs,
    trustProxy: config.api.trustProxy,
    // Signed download tokens travel in the path (`/v1/downloads/<token>`) and run to a few hundred bytes.
    maxParamLength: MAX_PATH_PARAM_LENGTH,
    frameworkErrors,
  }),
  dependencies: (config) => [
    databaseDependency(config.database),
    queueDependency(config),
    storageDependency(config.storage),
  ],
  configure: async (app, config) => {
    await registerHardening(app, config);
    if (config.api.queuesDashboard.enabled) await loadQueuesDashboard().registerQueuesDashboard(app);
    await registerMultipart(app, config.files);
    registerTusBody(app);
    if (config.api.docs.enabled) setupOpenApi(app);
  },
});
