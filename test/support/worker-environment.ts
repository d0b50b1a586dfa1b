import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';
import { runVariables, workerVariables } from './worker-env';

/**
 * Jest's node environment, pointed at this worker's own run environment (worker-env.ts).
 * It sets the worker process's real environment, not only the test's copy of it, so
 * whatever a test spawns without an explicit `env` inherits the worker's database too.
 */
export default class WorkerEnvironment extends TestEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    const run = runVariables(process.env);
    const id = Number(process.env.JEST_WORKER_ID ?? '1');
    // Derived from the run's variables as the parent set them, kept aside so a second file
    // in this worker does not derive from the first one's result.
    const base = (process.env.DEPOT_TEST_RUN ??= JSON.stringify(run ?? null));
    const parsed = JSON.parse(base) as ReturnType<typeof runVariables> | null;
    if (parsed) Object.assign(process.env, workerVariables(parsed, id));
    super(config, context);
  }
}
