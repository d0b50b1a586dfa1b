// @ts-check
/**
 * What the apps' bundles hold in place of TypeORM's drivers for other databases than
 * PostgreSQL (rspack.config.js). TypeORM's driver factory requires all of them at load,
 * and the bundle would keep their source in every app's memory. Any export read from here
 * is a class that throws when constructed, so an `instanceof` test against it is false.
 */
module.exports = new Proxy(
  {},
  {
    get: (_target, name) =>
      name === '__esModule'
        ? false
        : class UnavailableDriver {
            constructor() {
              throw new Error(
                `TypeORM's ${String(name)} is not in this build: Depot runs on PostgreSQL only`,
              );
            }
          },
  },
);
