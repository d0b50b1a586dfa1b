import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppProcess } from '../support/app-process';
import { bearer, createTenant, type FileJson, upload, waitForStatus } from '../support/depot-api';

interface Operation {
  responses: Record<string, { content?: Record<string, unknown> }>;
}
const document = JSON.parse(readFileSync(join(__dirname, '../../openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};

/** Whether a media range of the document (`*\/*`, `text/*`, `text/plain`) admits a response's Content-Type. */
function admits(range: string, contentType: string): boolean {
  const [type, subtype] = contentType.split(';')[0]!.trim().toLowerCase().split('/');
  const [rangeType, rangeSubtype] = range.toLowerCase().split('/');
  return (rangeType === '*' || rangeType === type) && (rangeSubtype === '*' || rangeSubtype === subtype);
}

/**
 * What a validating proxy (Prism) checks of each real answer: its status is documented, and
 * its Content-Type is one the document allows for that status.
 */
async function expectDocumented(path: string, method: string, response: Response): Promise<void> {
  const operation = document.paths[path]?.[method];
  const documented = operation?.responses[String(response.status)];
  const contentType = response.headers.get('content-type') ?? '';
  const allowed = Object.keys(documented?.content ?? {});
  expect({ path, status: response.status, documented: !!documented }).toEqual({
    path,
    status: response.status,
    documented: true,
  });
  if (response.status !== 304 && response.headers.get('content-length') !== '0') {
    expect({
      path,
      status: response.status,
      contentType,
      allowed: allowed.some((range) => admits(range, contentType)),
    }).toEqual({ path, status: response.status, contentType, allowed: true });
  }
  await response.arrayBuffer();
}

/** The content routes answer with the types their documentation allows (the stored type, not octet-stream). */
describe('real responses against openapi.json', () => {
  let api: AppProcess;
  let worker: AppProcess;

  beforeAll(async () => {
    [api, worker] = await Promise.all([AppProcess.startReady('api'), AppProcess.startReady('worker')]);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
  });

  it('GET /v1/files/{id}/content and /v1/downloads/{token}: 200, 206, 304 and errors', async () => {
    const { apiKey } = await createTenant(api, 'contract');
    const headers = bearer(apiKey.key);
    const created = (await (
      await upload(api, apiKey.key, new TextEncoder().encode('plain text, as text/plain'), {
        name: 'notes.txt',
        type: 'text/plain',
      })
    ).json()) as FileJson;
    const file = await waitForStatus(api, apiKey.key, created.id, ['ready']);
    const content = '/v1/files/{id}/content';
    const path = `/v1/files/${file.id}/content`;

    const whole = await api.fetch(path, { headers });
    expect(whole.headers.get('content-type')).toMatch(/^text\/plain/);
    await expectDocumented(content, 'get', whole);
    await expectDocumented(
      content,
      'get',
      await api.fetch(path, { headers: { ...headers, range: 'bytes=0-4' } }),
    );
    await expectDocumented(
      content,
      'get',
      await api.fetch(path, { headers: { ...headers, 'if-none-match': `"${file.sha256}"` } }),
    );
    await expectDocumented(
      content,
      'get',
      await api.fetch(path, { headers: { ...headers, range: 'bytes=999-' } }),
    );
    await expectDocumented(
      content,
      'get',
      await api.fetch(`/v1/files/${crypto.randomUUID()}/content`, { headers }),
    );

    const link = (await (
      await api.fetch(`/v1/files/${file.id}/links`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { url: string };
    const download = '/v1/downloads/{token}';
    await expectDocumented(download, 'get', await fetch(link.url));
    await expectDocumented(download, 'get', await fetch(link.url, { headers: { range: 'bytes=2-' } }));
    await expectDocumented(download, 'get', await fetch(`${link.url}x`));
  });
});
