import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as DepotClientModule from '../../packages/client/src/index.js';

const ROOT = join(__dirname, '../..');

/** The built `depot` CLI (`node <this> …`). */
export const CLI_MAIN = join(ROOT, 'packages/cli/dist/main.js');

/**
 * The built `@depot/client` (packages/client/dist), as its users get it. `npm run build`
 * builds it (build:packages); the types are the source's, so typechecking needs no build.
 */
export async function loadClient(): Promise<typeof DepotClientModule> {
  const entry = join(ROOT, 'packages/client/dist/index.js');
  if (!existsSync(entry) || !existsSync(CLI_MAIN)) {
    throw new Error('packages/*/dist is missing: run npm run build (or npm run build:packages)');
  }
  return (await import(entry)) as typeof DepotClientModule;
}

/** Whether the api serves tus at /v1/uploads (OPTIONS answers 204/200 with Tus-Version). */
export async function servesTus(apiUrl: string): Promise<boolean> {
  const response = await fetch(`${apiUrl}/v1/uploads`, { method: 'OPTIONS' });
  await response.body?.cancel();
  return response.ok && response.headers.has('tus-version');
}
