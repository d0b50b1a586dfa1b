import 'reflect-metadata';
import { type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type DepotConfig, loadConfigOrExit } from '@depot/config';
import {
  createLogger,
  type Dependency,
  HealthService,
  type Logger,
  MetricsRegistry,
  PinoLoggerService,
  registerHttpMetrics,
} from '@depot/observability';
import { releaseBootGarbage } from './boot-garbage';
import { checkDependencies } from './dependency';
import { fastifyOptions, registerRequestContext, registerUnreadBodyDrain } from './http-server.options';
import { HttpShutdown } from './http-shutdown';

export type AppName = 'api' | 'worker' | 'scheduler';

export interface AppDefinition {
  name: AppName;
  module: Type<unknown>;
  /** Where this app's HTTP server listens. */
  listen(config: DepotConfig): { port: number; host: string };
  /** What must answer before the app starts. */
  dependencies(config: DepotConfig): Dependency[];
  /** HTTP server limits; the worker and scheduler keep the defaults. */
  http?(config: DepotConfig): Parameters<typeof fastifyOptions>[1];
  /** App-specific wiring after the Nest app exists and before it listens. */
  configure?(app: NestFastifyApplication, config: DepotConfig): Promise<void> | void;
}

/**
 * The life of one Depot process: validate config (exit 1 naming every bad key), check its
 * dependencies answer (exit 1 with one line each), start Nest on Fastify, listen, and on
 * SIGTERM/SIGINT stop taking work, finish or hand back what is in flight, and exit 0
 * within `app.shutdownTimeoutMs`.
 */
export async function runApp(definition: AppDefinition): Promise<INestApplication> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.app, config.log, definition.name);

  const failures = await checkDependencies(definition.name, definition.dependencies(config));
  if (failures.length > 0) {
    for (const line of failures) process.stderr.write(`${line}\n`);
    process.exit(1);
  }

  const app = await NestFactory.create<NestFastifyApplication>(
    definition.module,
    new FastifyAdapter(fastifyOptions(logger, definition.http?.(config))),
    { logger: new PinoLoggerService(logger), bufferLogs: true, abortOnError: false },
  );
  const server = app.getHttpAdapter().getInstance();
  registerRequestContext(server);
  const http = new HttpShutdown(server, app.getHttpServer(), logger);
  registerUnreadBodyDrain(server, () => http.closing);
  registerHttpMetrics(server, app.get(MetricsRegistry));
  await definition.configure?.(app, config);

  installShutdown(app, logger, config.app.shutdownTimeoutMs, http);
  const { port, host } = definition.listen(config);
  await app.listen(port, host);
  releaseBootGarbage();
  logger.info({ port, host, pid: process.pid }, `${definition.name} ready`);
  return app;
}

function installShutdown(app: INestApplication, logger: Logger, timeoutMs: number, http: HttpShutdown): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.get(HealthService, { strict: false }).markShuttingDown();
    // Requests in flight get half the time; the rest is for handlers' cleanup and closing connections.
    http.begin(timeoutMs / 2);
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting with work unfinished');
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    app.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
