/**
 * The V8 options every app runs with in production: the image's `NODE_OPTIONS` (Dockerfile),
 * the `start:*` scripts, `npm start`, and the tests and benches that start the built apps
 * (test/unit/deploy/app-node-args.spec.ts checks they agree).
 *
 * `--max-semi-space-size=4`: V8 grows each young-generation semi-space to 16 MiB (Node 20)
 * or more (Node 24) during the boot and keeps it committed; capped at 4 MiB, an idle app's
 * RSS is 20 to 45 MB lower and the api's under load about 100 MB lower on Node 24, with no
 * CPU per request that stood out of the noise (1 MiB doubled it: scavenges on every request).
 *
 * Not here: `--single-threaded` (3 MB less at idle on Node 24, 5 to 6 on Node 20; Node
 * refuses it in NODE_OPTIONS) and `--v8-pool-size=1` (under 1 MB on Node 24); see
 * bench/RESULTS.md, "Later on 2026-11-30 (second part)".
 */
export const APP_NODE_ARGS: readonly string[] = ['--max-semi-space-size=4'];

/**
 * The environment every app runs with in production besides its configuration, in the same
 * places as {@link APP_NODE_ARGS} (the image's `ENV`, the `start:*` scripts, `npm start`, the
 * tests and benches; test/unit/deploy/app-node-args.spec.ts checks they agree). glibc reads it
 * when the process starts.
 *
 * `MALLOC_ARENA_MAX=2`: at most two malloc arenas instead of up to eight a core. Each thread
 * that allocates (libuv's pool, V8's helpers) otherwise gets an arena of its own, which keeps
 * what was freed in it. Measured on Node 20: the api's idle RSS 4 to 6 MB lower (Node 24: about
 * 3), its RSS during 1,000 small uploads 5 to 7 MB lower, and its CPU per upload not higher
 * (three interleaved pairs).
 *
 * Not here: `GLIBC_TUNABLES=glibc.malloc.trim_threshold=131072` (glibc's thresholds fixed
 * instead of raised by the first large free): the api's idle RSS 8 to 9 MB lower on Node 20,
 * but its CPU per small upload 15 to 25 % higher (the heap's top given back and faulted in
 * again), and a fixed trim threshold of 1 MiB still cost CPU for 6 MB less.
 */
export const APP_ENV_VARIABLES: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
};

/**
 * An app's environment: {@link APP_ENV_VARIABLES} under `env`, so a value the caller set wins,
 * as it does over the image's `ENV` and in the `start:*` scripts (`\${NAME:-default}`). Every
 * launcher builds it here: `npm start`, and the tests' and benches' app processes.
 */
export function appEnvironment<T extends NodeJS.ProcessEnv>(env: T): Readonly<Record<string, string>> & T {
  return { ...APP_ENV_VARIABLES, ...env };
}
