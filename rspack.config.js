// @ts-check
/**
 * The apps' build (`nest build api worker scheduler`: one CLI process for the three, about a
 * fifth less CPU than a `nest build` each; nest-cli.json): Nest's rspack defaults, with the
 * production dependencies bundled into each app's `main.js` (and the chunks of what the
 * dependencies load with `import()`, beside it) instead of left to `require`. A bundled app
 * boots without resolving, reading and compiling 1,300 to 1,800 files one by one, and
 * without the parts of the ESM packages it does not use.
 *
 * What stays external (required from node_modules at run time, which the image keeps):
 * - packages that are not installed: optional peers that the dependencies try to load
 *   (Nest's microservices and websockets, TypeORM's other drivers, `pg-native`); they fail
 *   at run time exactly where they did unbundled;
 * - packages that find their own files by path at run time: pino (a transport such as
 *   development's pino-pretty runs in a worker thread started from pino's folder), Swagger
 *   UI's assets, Bull Board's UI;
 * - native addons (`msgpackr-extract`, `pg-native`);
 * - the S3 SDK: loaded only when a disk is on S3, and large enough to weigh on every app's
 *   memory if it sat in the bundle's source.
 * Dependencies that load a package by a computed name get it passed instead (TypeORM's
 * `pg`: libs/database/src/data-source.options.ts).
 *
 * TypeORM's drivers for other databases than PostgreSQL (a seventh of an app's bundle) are
 * replaced by scripts/build/unused-typeorm-driver.js: its driver factory requires every one
 * of them, and V8 keeps the whole bundle's source in memory. For the same reason
 * class-validator's phone number parser and TypeORM's SQL formatter, required at load and
 * never called, are replaced by scripts/build/unused-package.mjs.
 */
const { isBuiltin } = require('node:module');
const { join } = require('node:path');

/**
 * TypeORM's driver folders left out of the bundles; `postgres`, `aurora-postgres` (built on
 * it) and SQL Server's query parameter type (which the migration and cache code import) stay.
 */
const UNUSED_TYPEORM_DRIVER =
  /[\\/]node_modules[\\/]typeorm[\\/]driver[\\/](aurora-mysql|better-sqlite3|capacitor|cockroachdb|cordova|expo|mongodb|mysql|nativescript|oracle|react-native|sap|spanner|sqlite-abstract|sqljs|sqlserver[\\/](?!MssqlParameter\.js$))/;

/** Packages required at load by a dependency and never called by Depot; see above. */
const UNUSED_PACKAGE = /[\\/]node_modules[\\/](libphonenumber-js|@sqltools[\\/]formatter)[\\/]/;

/** BullMQ's index and its PostgreSQL backend's modules: see `module.rules` below. */
const BULLMQ_WITHOUT_SIDE_EFFECTS =
  /[\\/]node_modules[\\/]bullmq[\\/]dist[\\/]esm[\\/](index\.js$|postgres[\\/])/;

/** Packages (and their subpaths) always loaded from node_modules; see above for why. */
const EXTERNAL_PACKAGES = new Set([
  'pino',
  'pino-pretty',
  'thread-stream',
  'swagger-ui-dist',
  '@bull-board/api',
  '@bull-board/fastify',
  '@bull-board/ui',
  'msgpackr-extract',
  'pg-native',
  '@aws-sdk/client-s3',
  '@aws-sdk/lib-storage',
  '@aws-sdk/s3-request-presigner',
]);

/** `lodash/get` → `lodash`, `@scope/name/sub` → `@scope/name`; undefined for a path. */
function packageOf(request) {
  if (request.startsWith('.') || request.startsWith('/')) return undefined;
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * @param {{ context?: string, request?: string, getResolve?: Function }} data
 * @param {(error?: Error | null, result?: string) => void} callback
 */
function externals({ context, request, getResolve }, callback) {
  if (!request || isBuiltin(request)) return callback();
  const name = packageOf(request);
  if (name === undefined || name.startsWith('@depot/')) return callback();
  if (EXTERNAL_PACKAGES.has(name)) return callback(null, `commonjs ${request}`);
  if (!getResolve || !context) return callback();
  // Not installed: an optional peer, left as a plain require that fails where it is tried.
  getResolve()(context, request, (/** @type {Error | null} */ error) =>
    error ? callback(null, `commonjs ${request}`) : callback(),
  );
}

/**
 * @param {import('@rspack/core').Configuration} defaults
 * @param {typeof import('@rspack/core')} rspack
 */
module.exports = (defaults, rspack) => ({
  ...defaults,
  externals: [externals],
  externalsPresets: { node: true },
  module: {
    ...defaults.module,
    rules: [
      ...(defaults.module?.rules ?? []),
      // BullMQ's index re-exports its PostgreSQL backend (`export * from './postgres'`), and
      // without `sideEffects` in its package.json every module it names is kept in the app's
      // chunk. Neither the index nor that folder does anything at load but define exports, so
      // the backend goes to the chunk that libs/queue's `import()` of it makes, loaded only on
      // the postgres backend (about 0.3 MB of source and its SQL out of every app on Redis).
      { test: BULLMQ_WITHOUT_SIDE_EFFECTS, sideEffects: false },
    ],
    parser: {
      ...defaults.module?.parser,
      // `createRequire(import.meta.url)('typeorm')` (@nestjs/typeorm's compatibility shim) is
      // bundled like a require: otherwise Node loads a second, unbundled TypeORM from
      // node_modules at boot (295 files, 2.9 MB of source, every driver), which costs the
      // api about 120 ms of CPU to ready and a full collection at boot.
      javascript: { ...defaults.module?.parser?.javascript, createRequire: true },
    },
  },
  plugins: [
    ...(defaults.plugins ?? []),
    new rspack.NormalModuleReplacementPlugin(
      UNUSED_TYPEORM_DRIVER,
      join(__dirname, 'scripts/build/unused-typeorm-driver.js'),
    ),
    new rspack.NormalModuleReplacementPlugin(
      UNUSED_PACKAGE,
      join(__dirname, 'scripts/build/unused-package.mjs'),
    ),
  ],
  optimization: {
    ...defaults.optimization,
    // Unused exports of the ESM packages (Nest, zod, ...) and modules without side effects are left out.
    providedExports: true,
    usedExports: true,
    sideEffects: true,
    innerGraph: true,
    concatenateModules: true,
    // Whitespace and comments out, local variables renamed short, other characters than
    // ASCII escaped: V8 keeps every script's source in memory (renaming alone takes the api's
    // bundle from 6.1 to 4.6 MB and its idle RSS about 4 MB lower), and one character outside
    // Latin-1 would make it keep the whole bundle at two bytes a character. Class and function
    // names are kept and nothing else is rewritten: Nest takes providers' class names as
    // tokens, and stack traces keep their names (the source maps beside each file map
    // positions back, `node --enable-source-maps`).
    minimize: true,
    minimizer: [
      new rspack.SwcJsMinimizerRspackPlugin({
        minimizerOptions: {
          compress: false,
          mangle: { keep_classnames: true, keep_fnames: true },
          format: { asciiOnly: true, comments: false },
        },
      }),
    ],
  },
  // The dependencies' own dynamic requires (Nest's optional packages, TypeORM's driver and
  // config loaders, BullMQ's sandboxed processors, none of which the apps use) are reported
  // as critical dependencies; they fail at run time as a missing module.
  ignoreWarnings: [() => true],
});
