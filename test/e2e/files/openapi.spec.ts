import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppProcess } from '../../support/app-process';

// Starts real processes and waits on the worker: far beyond Jest's 5 s default.
jest.setTimeout(60_000);

interface Operation {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

const committed = JSON.parse(readFileSync(join(__dirname, '../../../openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
} & Record<string, unknown>;

/** `GET /v1/files`, `components.schemas.FileDto`...: the parts of two documents that differ. */
function changedParts(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const parts = (document: Record<string, unknown>): Map<string, string> => {
    const map = new Map<string, string>();
    const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        map.set(`${method.toUpperCase()} ${path}`, JSON.stringify(operation));
      }
    }
    const schemas = (document.components as { schemas?: Record<string, unknown> } | undefined)?.schemas ?? {};
    for (const [name, schema] of Object.entries(schemas)) map.set(`schema ${name}`, JSON.stringify(schema));
    for (const [key, value] of Object.entries(document)) {
      if (key !== 'paths' && key !== 'components') map.set(key, JSON.stringify(value));
    }
    return map;
  };
  const [left, right] = [parts(a), parts(b)];
  return [...new Set([...left.keys(), ...right.keys()])]
    .filter((key) => left.get(key) !== right.get(key))
    .sort();
}

describe('the OpenAPI document', () => {
  let api: AppProcess;

  beforeAll(async () => {
    api = await AppProcess.startReady('api');
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('served at /docs/openapi.json is the committed openapi.json', async () => {
    const served = (await (await api.fetch('/docs/openapi.json')).json()) as typeof committed;
    // Named first, so a failure says which operations changed; then compared whole.
    expect({
      changed: changedParts(served, committed),
      fix: 'run `npm run openapi:export` and commit openapi.json',
    }).toEqual({
      changed: [],
      fix: expect.any(String),
    });
    expect(served).toEqual(committed);
  });

  it('puts every /v1 route but the signed downloads, upload links and public files behind the bearer scheme, with problem+json errors', () => {
    for (const [path, operations] of Object.entries(committed.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (
          path.startsWith('/v1/downloads/') ||
          path.startsWith('/v1/upload-links/{token}') ||
          path.startsWith('/v1/public/files/')
        ) {
          // Public, and saying so: no security requirement at all.
          expect({ where, security: operation.security }).toEqual({ where, security: [] });
        } else {
          expect({ where, security: operation.security }).toEqual({ where, security: [{ bearer: [] }] });
          expect({ where, has401: '401' in operation.responses }).toEqual({ where, has401: true });
        }
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) >= 400) {
            expect({ where, status, content: Object.keys(response.content ?? {}) }).toEqual({
              where,
              status,
              content: ['application/problem+json'],
            });
          }
        }
      }
    }
  });

  it('names its server, and marks the public operations with an empty security requirement', () => {
    expect(committed.servers).toEqual([expect.objectContaining({ url: '/' })]);
    for (const path of ['/health/live', '/health/ready', '/v1/downloads/{token}']) {
      expect({ path, security: committed.paths[path]!.get!.security }).toEqual({ path, security: [] });
    }
  });

  it('gives every documented error an example of its own status', () => {
    for (const [path, operations] of Object.entries(committed.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400) continue;
          const media = response.content?.['application/problem+json'] as { example?: { status?: number } };
          const where = `${method.toUpperCase()} ${path} ${status}`;
          expect({ where, status: media?.example?.status }).toEqual({ where, status: Number(status) });
        }
      }
    }
  });
});
