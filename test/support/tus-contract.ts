import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether the committed OpenAPI document has tus resumable uploads (`/v1/uploads`). Tests of
 * resumable transfers are defined only when it does, and then check that the running api
 * agrees; until the tus server lands they are skipped with this reason.
 */
export const TUS_DOCUMENTED = Boolean(
  (
    JSON.parse(readFileSync(join(__dirname, '../../openapi.json'), 'utf8')) as {
      paths: Record<string, unknown>;
    }
  ).paths['/v1/uploads'],
);

export const TUS_SKIP_REASON =
  'skipped: this api has no tus endpoint yet (openapi.json documents no /v1/uploads; OPTIONS answers 404)';

/** `it` when the api documents tus, else `it.skip` with the reason in the title. */
export function itWithTus(name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  if (TUS_DOCUMENTED) it(name, fn, timeout);
  else it.skip(`${name} (${TUS_SKIP_REASON})`, fn, timeout);
}
