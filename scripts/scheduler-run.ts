/**
 * `npm run scheduler:run -- <task>`: enqueues one run of a scheduler task now, outside its
 * cron, whether or not the task is enabled. The run is recorded in `scheduler_runs` like a
 * tick (its job id is `<task>-manual-<epoch ms>`) and the worker runs it as usual.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, loadConfigOrExit, SCHEDULER_TASKS } from '@depot/config';
import { databaseDependency, DatabaseModule } from '@depot/database';
import { queueDependency } from '@depot/queue';
import { checkDependencies } from '@depot/runtime';
import { isSchedulerTask, SchedulingModule, TaskDispatcherService } from '@depot/scheduling';

@Module({ imports: [ConfigModule, DatabaseModule, SchedulingModule] })
class SchedulerRunModule {}

async function main(): Promise<number> {
  const task = process.argv[2];
  if (!task || !isSchedulerTask(task)) {
    console.error(
      `scheduler:run: ${task ? `unknown task "${task}"` : 'no task given'}; expected one of: ${SCHEDULER_TASKS.join(', ')}`,
    );
    console.error('usage: npm run scheduler:run -- <task>');
    return 1;
  }
  const config = loadConfigOrExit();
  const failures = await checkDependencies('scheduler:run', [
    databaseDependency(config.database),
    queueDependency(config),
  ]);
  if (failures.length > 0) {
    for (const line of failures) console.error(line);
    return 1;
  }

  const app = await NestFactory.createApplicationContext(SchedulerRunModule, { logger: ['error'] });
  try {
    const run = await app.get(TaskDispatcherService).runNow(task);
    const note = config.scheduler.tasks[task].enabled ? '' : ' (the task is disabled in config; run anyway)';
    console.log(
      `enqueued ${task}: job ${run.jobId}, run ${run.runId} at ${run.scheduledAt.toISOString()}${note}`,
    );
    return 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`scheduler:run failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
