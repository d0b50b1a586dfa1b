// @ts-check
/**
 * What the apps' bundles hold in place of packages that a dependency requires when it loads
 * but that Depot never calls (rspack.config.js): class-validator's phone number parser
 * (libphonenumber-js and its metadata, about 200 KiB of an app's bundle, built into objects
 * at boot) and TypeORM's SQL formatter (used only by its `formatted-console` logger). Each
 * export the dependencies read is here, and throws when called.
 */

/** @param {string} name */
function leftOut(name) {
  throw new Error(`${name} is not in this build: see rspack.config.js`);
}

/** libphonenumber-js's, for class-validator's `IsPhoneNumber`. */
export function parsePhoneNumber() {
  return leftOut('libphonenumber-js');
}

/** @sqltools/formatter's, for TypeORM's `PlatformTools.formatSql`. */
export function format() {
  return leftOut('@sqltools/formatter');
}
