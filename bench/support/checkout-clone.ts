import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from '../../test/support/app-launch';

/** What `npm start` needs of a clone; node_modules is linked, not copied. */
const CLONED = [
  'apps',
  'packages',
  'libs',
  'config',
  'database',
  'scripts',
  'package.json',
  'package-lock.json',
  'nest-cli.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.cli.json',
];

/**
 * A clone of this checkout in a temporary folder, as a new user's would be after `npm ci`
 * (no `.depot/`, no `dist/`, no `storage/`, no `config/local/`), for running `npm start`
 * where it cannot touch this checkout's data. `remove` deletes it.
 */
export function cloneCheckout(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `depot-${label}-`));
  // As root, the embedded cluster's owner (not root) must reach the clone.
  chmodSync(dir, 0o755);
  for (const entry of CLONED) {
    cpSync(join(ROOT, entry), join(dir, entry), {
      recursive: true,
      filter: (source) =>
        !source.startsWith(join(ROOT, 'config', 'local')) &&
        !/^packages\/[^/]+\/(dist|node_modules)$/.test(relative(ROOT, source)),
    });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  // The workspaces' own node_modules (versions that differ from the root's) are linked too.
  for (const name of readdirSync(join(ROOT, 'packages'))) {
    const modules = join(ROOT, 'packages', name, 'node_modules');
    if (existsSync(modules)) symlinkSync(modules, join(dir, 'packages', name, 'node_modules'));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
