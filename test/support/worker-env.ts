/**
 * Jest runs test files in several worker processes at once. Each worker gets a run
 * environment of its own (database, queue prefix, storage folder), so files running side by
 * side never share a queue, a scheduler's ticks or a staging folder: within a worker, files
 * run one after another exactly as in a single-process run. Worker 1 uses the run's own
 * environment (the global setup's); worker N > 1 a copy of it named with `-wN`.
 *
 * This file imports nothing of the repository: the test environment loads it outside
 * Jest's module mapping.
 */

/** The variables that make up a run environment (see test-env.ts). */
export interface RunVariables {
  DATABASE_URL: string;
  QUEUE_PREFIX: string;
  STORAGE_LOCAL_ROOT: string;
}

/** How many workers the global setup prepared an environment for (worker 1 is the run's own). */
export const WORKER_COUNT_VARIABLE = 'DEPOT_TEST_WORKERS';

/** The environment of Jest worker `id` (1-based, as JEST_WORKER_ID), derived from the run's. */
export function workerVariables(run: RunVariables, id: number): RunVariables {
  if (id <= 1) return run;
  const url = new URL(run.DATABASE_URL);
  url.pathname = `${url.pathname}_w${id}`;
  return {
    DATABASE_URL: url.toString(),
    QUEUE_PREFIX: `${run.QUEUE_PREFIX}-w${id}`,
    STORAGE_LOCAL_ROOT: `${run.STORAGE_LOCAL_ROOT}-w${id}`,
  };
}

/** The run's own variables, from the environment the global setup wrote. */
export function runVariables(env: NodeJS.ProcessEnv): RunVariables | undefined {
  const { DATABASE_URL, QUEUE_PREFIX, STORAGE_LOCAL_ROOT } = env;
  if (!DATABASE_URL || !QUEUE_PREFIX || !STORAGE_LOCAL_ROOT) return undefined;
  return { DATABASE_URL, QUEUE_PREFIX, STORAGE_LOCAL_ROOT };
}
