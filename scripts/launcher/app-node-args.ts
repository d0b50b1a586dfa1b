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
