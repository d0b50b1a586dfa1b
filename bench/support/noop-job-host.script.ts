/**
 * Child process of the queue benchmark, Depot's side: the worker's job host (a Nest
 * application context with QueueModule and a QueueProcessor subclass: log context, typed
 * dispatch, job metrics) whose handlers do nothing, driven by {@link serveConsumeCommands}.
 *
 * Environment: the bench env; QUEUE_PREFIX names the queue it consumes.
 */
import 'reflect-metadata';
import { Processor } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type JobHandlers, QueueModule, QueueProcessor } from '@depot/queue';
import { serveConsumeCommands } from './consumer-loop';

@Processor('files', { autorun: false })
class NoopFilesProcessor extends QueueProcessor<'files'> {
  readonly queueName = 'files';
  protected readonly handlers: JobHandlers<'files'> = {
    process: async () => undefined,
    purge: async () => undefined,
  };
}

@Module({ imports: [QueueModule], providers: [NoopFilesProcessor] })
class NoopJobHostModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(NoopJobHostModule, { logger: ['error', 'warn'] });
  try {
    await serveConsumeCommands(app.get(NoopFilesProcessor).worker);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
