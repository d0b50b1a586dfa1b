import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AppName, ROOT } from '../support/app-launch';

/**
 * The built apps (rspack.config.js). BullMQ's PostgreSQL backend is not in an app's
 * `main.js`, which every app loads whole at boot, but in a chunk beside it that libs/queue
 * loads only on the postgres backend (the e2e files on `QUEUE_BACKEND=postgres` run the apps
 * with it). The image copies the whole of dist/, chunks included. Packages that a dependency
 * requires at load and Depot never calls are replaced by scripts/build/unused-package.mjs.
 */
describe('the built apps', () => {
  const apps: AppName[] = ['api', 'worker', 'scheduler'];
  const holdsPostgresBackend = (file: string): boolean =>
    readFileSync(file, 'latin1').includes('class PostgresQueueBackend');

  it.each(apps)('%s: the PostgreSQL queue backend is in a chunk beside main.js, not in it', (app) => {
    const folder = join(ROOT, 'dist/apps', app);
    expect(holdsPostgresBackend(join(folder, 'main.js'))).toBe(false);
    const chunks = readdirSync(folder).filter((file) => /^[\w-]+\.main\.js$/.test(file));
    expect(chunks.filter((file) => holdsPostgresBackend(join(folder, file)))).toHaveLength(1);
  });

  it.each(apps)('%s: holds neither the phone number parser nor the SQL formatter', (app) => {
    const main = readFileSync(join(ROOT, 'dist/apps', app, 'main.js'), 'latin1');
    // libphonenumber-js's metadata and @sqltools/formatter's tokenizer, by their own words.
    expect(main).not.toContain('country_calling_codes');
    expect(main).not.toContain('reservedTopLevelWords');
  });
});
