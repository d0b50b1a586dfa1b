import { type BenchEnv, createBenchEnv } from './bench-env';
import { compileForNode } from './compile';
import { type BenchProcess, onRunEnd, type RunningApp, spawnNode, startApp } from './processes';
import type { Teardown } from './teardown';
import { MiB } from './timing';

/** A booted api, the bench environment it runs in, and what was started beside it. */
export interface BenchApi<T> {
  env: BenchEnv;
  api: RunningApp;
  alongside: T;
}

export interface BenchApiOptions<T> {
  quick: boolean;
  /** The largest file the benchmark uploads, when it needs more than the default limit. */
  maxFileBytes?: number;
  /**
   * Work that needs the environment but not the api (a raw baseline's server, say), run
   * while the api boots: neither is measured.
   */
  alongside?: (env: BenchEnv) => Promise<T>;
  /**
   * Node options for the api after production's own (`APP_NODE_ARGS`; a later value of the
   * same option wins), to measure another setting. Such an api is never the shared one.
   */
  nodeArgs?: readonly string[];
  /** Environment variables for the api process only (a libc setting, say). Such an api is never the shared one. */
  apiEnv?: Readonly<Record<string, string>>;
}

/**
 * The largest file the quick runs' shared api takes: above every quick size (32 MiB), so that
 * each api benchmark's quick run fits it.
 */
const SHARED_MAX_FILE_BYTES = 64 * MiB;

let sharedEnv: Promise<BenchEnv> | undefined;
let sharedApi: Promise<RunningApp> | undefined;

/**
 * The api a benchmark measures. In full runs, one of its own in a fresh environment named
 * after `label` (stopped and removed by `teardown`), as before. In quick runs, where the
 * boots were most of the time, one api shared by every api benchmark of the run: booted by
 * the first that asks, stopped and removed when the run ends ({@link onRunEnd}). Each
 * benchmark still creates its own tenant in it, and removes what it leaves in the storage
 * folder as it goes. A quick figure of the api's resident memory then tells of an api that
 * already served the benchmarks before it.
 */
export async function benchApi<T = undefined>(
  label: string,
  teardown: Teardown,
  { quick, maxFileBytes, alongside, nodeArgs = [], apiEnv = {} }: BenchApiOptions<T>,
): Promise<BenchApi<T>> {
  const shared =
    quick &&
    (maxFileBytes ?? 0) <= SHARED_MAX_FILE_BYTES &&
    nodeArgs.length === 0 &&
    Object.keys(apiEnv).length === 0;
  let env: BenchEnv;
  let booting: () => Promise<RunningApp>;
  if (shared) {
    sharedEnv ??= createSharedEnv().catch((error: unknown) => {
      sharedEnv = undefined;
      throw error;
    });
    env = await sharedEnv;
    booting = () => sharedApiIn(env);
  } else {
    env = await createBenchEnv(
      label,
      maxFileBytes === undefined ? {} : { DEPOT__FILES__MAX_SIZE_BYTES: String(maxFileBytes) },
    );
    teardown.add(() => env.cleanup());
    booting = async () => {
      const api = await startApp('api', { ...env.env, ...apiEnv }, { nodeArgs: [...nodeArgs] });
      teardown.add(() => api.stop());
      return api;
    };
  }
  // Both settle before either failure is thrown, so that the teardown finds what they started.
  const [api, beside] = await Promise.allSettled([
    booting(),
    alongside ? alongside(env) : Promise.resolve(undefined as T),
  ]);
  if (api.status === 'rejected') throw api.reason;
  if (beside.status === 'rejected') throw beside.reason;
  return { env, api: api.value, alongside: beside.value };
}

async function createSharedEnv(): Promise<BenchEnv> {
  const env = await createBenchEnv('api-shared', {
    DEPOT__FILES__MAX_SIZE_BYTES: String(SHARED_MAX_FILE_BYTES),
  });
  // The api, if one is running, is stopped before its database is dropped.
  onRunEnd(async () => {
    const api = await sharedApi?.catch(() => undefined);
    sharedEnv = sharedApi = undefined;
    await api?.stop();
    await env.cleanup();
  });
  return env;
}

/** The shared api, booted again if it is not running (a benchmark before this one failed). */
async function sharedApiIn(env: BenchEnv): Promise<RunningApp> {
  const running = await sharedApi?.catch(() => undefined);
  if (running?.process.isRunning) return running;
  sharedApi = startApp('api', env.env);
  return sharedApi;
}

/**
 * An `alongside` for {@link benchApi}: a raw Fastify + pg server (`script`, compiled with
 * `raw-server.ts`) on the environment's database with the api's pool size, stopped by
 * `teardown`; resolves once it listens.
 */
export function rawServerAlongside(
  name: string,
  script: string,
  teardown: Teardown,
): (env: BenchEnv) => Promise<{ process: BenchProcess; port: number }> {
  return async (env) => {
    const raw = spawnNode(name, compileForNode(script, 'bench/support/raw-server.ts'), [], {
      env: { DATABASE_URL: env.databaseUrl, POOL_SIZE: String(env.config.database.poolSize) },
    });
    teardown.add(() => raw.stop());
    const { port } = await raw.nextResult<{ port: number }>(30_000);
    return { process: raw, port };
  };
}
