import { type BenchEnv, createBenchEnv } from './bench-env';
import { onRunEnd, type RunningApp, startApp } from './processes';
import type { Teardown } from './teardown';
import { MiB } from './timing';

/** A booted api and the bench environment it runs in. */
export interface BenchApi {
  env: BenchEnv;
  api: RunningApp;
}

/**
 * The largest file the quick runs' shared api takes: above every quick size (32 MiB), so that
 * each api benchmark's quick run fits it.
 */
const SHARED_MAX_FILE_BYTES = 64 * MiB;

let shared: Promise<BenchApi> | undefined;

/**
 * The api a benchmark measures. In full runs, one of its own in a fresh environment named
 * after `label` (stopped and removed by `teardown`), as before. In quick runs, where the
 * boots were most of the time, one api shared by every api benchmark of the run: booted by
 * the first that asks, stopped and removed when the run ends ({@link onRunEnd}). Each
 * benchmark still creates its own tenant in it; what it leaves in the storage folder it
 * removes as it goes. A quick figure of the api's resident memory then tells of an api
 * that already served the benchmarks before it.
 */
export async function benchApi(
  label: string,
  teardown: Teardown,
  { quick, maxFileBytes }: { quick: boolean; maxFileBytes?: number },
): Promise<BenchApi> {
  if (quick && (maxFileBytes ?? 0) <= SHARED_MAX_FILE_BYTES) {
    const running = await shared?.catch(() => undefined);
    if (running?.api.process.isRunning) return running;
    shared = bootShared();
    return shared;
  }
  const env = await createBenchEnv(
    label,
    maxFileBytes === undefined ? {} : { DEPOT__FILES__MAX_SIZE_BYTES: String(maxFileBytes) },
  );
  teardown.add(() => env.cleanup());
  const api = await startApp('api', env.env);
  teardown.add(() => api.stop());
  return { env, api };
}

async function bootShared(): Promise<BenchApi> {
  const env = await createBenchEnv('api-shared', {
    DEPOT__FILES__MAX_SIZE_BYTES: String(SHARED_MAX_FILE_BYTES),
  });
  const api = await startApp('api', env.env).catch(async (error: unknown) => {
    await env.cleanup().catch(() => undefined);
    throw error;
  });
  // The api is stopped before its database is dropped.
  onRunEnd(async () => {
    await api.stop();
    await env.cleanup();
  });
  return { env, api };
}
