import { databaseDependency } from '@depot/database';
import { queueDependency } from '@depot/queue';
import { runApp } from '@depot/runtime';
import { storageDependency } from '@depot/storage';
import { ApiModule } from './api.module';
import { registerQueuesDashboard } from './admin/queues-dashboard';
import { registerMultipart } from './files/multipart';
import { registerHardening } from './http/hardening';
import { setupOpenApi } from './http/openapi';
import { frameworkErrors } from './http/problem.filter';
import { registerTusBody } from './uploads/tus-body';

const MAX_PATH_PARAM_LENGTH = 8192;

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
    await registerQueuesDashboard(app);
    await registerMultipart(app, config.files);
    registerTusBody(app);
    if (config.api.docs.enabled) setupOpenApi(app);
  },
});
