import { randomBytes } from 'node:crypto';
import { AppProcess } from '../../support/app-process';
import {
  bearer,
  createTenant,
  type FileJson,
  issueKey,
  type Problem,
  waitForStatus,
} from '../../support/depot-api';
import { waitFor } from '../../support/wait';
import { MiB, sha256, tusUpload, tusUploadUntil, uploadId } from './tus-support';

const TUS = { 'tus-resumable': '1.0.0' };

jest.setTimeout(60_000);

/** A browser's form post to a link: no Authorization header. */
function postToLink(
  url: string,
  bytes: Uint8Array,
  type = 'text/plain',
  name = 'note.txt',
): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  return fetch(url, { method: 'POST', body: form });
}

describe('upload links, end to end', () => {
  let api: AppProcess;
  let worker: AppProcess;
  let key: string;
  let tenantId: string;

  beforeAll(async () => {
    [api, worker] = await Promise.all([AppProcess.startReady('api'), AppProcess.startReady('worker')]);
    ({
      tenantId,
      apiKey: { key },
    } = await createTenant(api, 'Linked Ltd'));
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
  });

  const createLink = (body: object, as = key): Promise<Response> =>
    api.fetch('/v1/upload-links', {
      method: 'POST',
      headers: { ...bearer(as), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const fileCount = async (): Promise<number> => {
    const page = (await (await api.fetch('/v1/files?limit=100', { headers: bearer(key) })).json()) as {
      items: FileJson[];
    };
    return page.items.length;
  };

  it('takes one file without Authorization, within the link’s limits, into the link’s tenant; then refuses a second use', async () => {
    const created = await createLink({
      name: 'contract.txt',
      maxSizeBytes: 1000,
      allowedTypes: ['text/*'],
      fileExpiresInSeconds: 3600,
    });
    expect(created.status).toBe(201);
    const { url, expiresAt } = (await created.json()) as { url: string; expiresAt: string };
    expect(url).toMatch(new RegExp(`^${api.url}/v1/upload-links/[A-Za-z0-9_-]{43}$`));
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(3500 * 1000);

    const before = await fileCount();
    // Refusals leave the link usable and store nothing.
    const tooLarge = await postToLink(url, randomBytes(1001));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const wrongType = await postToLink(url, randomBytes(10), 'image/png', 'x.png');
    expect(wrongType.status).toBe(415);
    expect(await fileCount()).toBe(before);

    const bytes = Buffer.from('signed and sealed\n');
    const uploaded = await postToLink(url, bytes, 'text/plain', 'whatever.txt');
    expect(uploaded.status).toBe(201);
    const file = (await uploaded.json()) as FileJson;
    expect(uploaded.headers.get('location')).toBe(`/v1/files/${file.id}`);
    expect(file).toMatchObject({ name: 'contract.txt', size: bytes.length, status: 'pending' });
    expect(new Date(file.expiresAt!).getTime() - Date.now()).toBeGreaterThan(3500 * 1000);

    // The tenant that made the link owns it; another does not see it.
    const ready = await waitForStatus(api, key, file.id);
    expect(ready).toMatchObject({ status: 'ready', sha256: sha256(bytes) });
    const other = (await createTenant(api, 'Other Ltd')).apiKey.key;
    expect((await api.fetch(`/v1/files/${file.id}`, { headers: bearer(other) })).status).toBe(404);
    expect(tenantId).toBeTruthy();

    const again = await postToLink(url, bytes);
    expect(again.status).toBe(410);
    expect(((await again.json()) as Problem).type).toBe('urn:depot:problem:invalid-link');
    expect(await fileCount()).toBe(before + 1);

    // The token is a credential: it is in no log line.
    const token = url.slice(url.lastIndexOf('/') + 1);
    expect(api.logs).not.toContain(token);
    expect(api.logs).toContain('/v1/upload-links/[redacted]');
  });

  it('refuses altered, unknown and expired links with 403 and stores nothing', async () => {
    const { url } = (await (await createLink({})).json()) as { url: string };
    const token = url.slice(url.lastIndexOf('/') + 1);
    const altered = `${api.url}/v1/upload-links/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const { url: shortLived, expiresAt } = (await (await createLink({ expiresInSeconds: 1 })).json()) as {
      url: string;
      expiresAt: string;
    };
    await waitFor('the short link to expire', 5_000, () =>
      Promise.resolve(Date.now() > Date.parse(expiresAt)),
    );

    const before = await fileCount();
    const answers = await Promise.all([
      postToLink(altered, Buffer.from('x')),
      postToLink(`${api.url}/v1/upload-links/not-a-token`, Buffer.from('x')),
      postToLink(`${api.url}/v1/upload-links/${randomBytes(32).toString('base64url')}`, Buffer.from('x')),
      postToLink(shortLived, Buffer.from('x')),
    ]);
    expect(answers.map((response) => response.status)).toEqual([403, 403, 403, 403]);
    expect(((await answers[3]!.json()) as Problem).detail).toMatch(/expired/);
    expect(await fileCount()).toBe(before);
    // The genuine one still works.
    expect((await postToLink(url, Buffer.from('fine'))).status).toBe(201);
  });

  it('starts a tus upload with the link as the endpoint (no key), resumable only through that link', async () => {
    const { url } = (await (
      await createLink({ name: 'from-the-browser.bin', maxSizeBytes: 4 * MiB })
    ).json()) as { url: string };
    const bytes = randomBytes(3 * MiB);
    const stoppedAt = await tusUploadUntil(bytes, MiB, { endpoint: url, chunkSize: MiB, retryDelays: [] });
    const id = uploadId(stoppedAt);
    expect(stoppedAt).toBe(`${url}/${id}`);

    // Another link's token does not open this upload; the link's own does.
    const { url: otherLink } = (await (await createLink({})).json()) as { url: string };
    const foreign = await fetch(`${otherLink}/${id}`, { method: 'HEAD', headers: TUS });
    expect(foreign.status).toBe(403);
    await tusUpload(bytes, { uploadUrl: stoppedAt, chunkSize: MiB, retryDelays: [] });

    const file = await waitForStatus(api, key, id);
    expect(file).toMatchObject({ name: 'from-the-browser.bin', status: 'ready', sha256: sha256(bytes) });
    // The link is spent: another creation through it is refused.
    const again = await fetch(url, { method: 'POST', headers: { ...TUS, 'upload-length': '10' } });
    expect(again.status).toBe(410);
    // And a link's size limit holds at creation.
    const { url: small } = (await (await createLink({ maxSizeBytes: 100 })).json()) as { url: string };
    const tooLarge = await fetch(small, { method: 'POST', headers: { ...TUS, 'upload-length': '101' } });
    expect(tooLarge.status).toBe(413);
  });

  it('checks who makes a link and what it asks for', async () => {
    const reader = (await issueKey(api, tenantId, ['files:read'])).key;
    const answers = await Promise.all([
      api.fetch('/v1/upload-links', { method: 'POST' }),
      createLink({}, reader),
      createLink({ maxSizeBytes: 2 * 1024 * 1024 * 1024 }),
      createLink({ expiresInSeconds: 8 * 24 * 3600 }),
      createLink({ allowedTypes: ['not a type'] }),
      createLink({ fileExpiresAt: '2000-01-01T00:00:00Z' }),
    ]);
    expect(answers.map((response) => response.status)).toEqual([401, 403, 400, 400, 400, 400]);
    const fields = await Promise.all(
      answers.slice(2).map(async (response) => ((await response.json()) as Problem).errors?.[0]?.field),
    );
    expect(fields).toEqual(['maxSizeBytes', 'expiresInSeconds', 'allowedTypes.0', 'fileExpiresAt']);
  });
});
