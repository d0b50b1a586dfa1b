import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppProcess } from '../../support/app-process';
import {
  ADMIN_KEY,
  bearer,
  createTenant,
  type FileJson,
  issueKey,
  type Problem,
  upload,
  waitForStatus,
} from '../../support/depot-api';
import { testEnv } from '../../support/test-env';
import { waitFor } from '../../support/wait';

// Starts real processes and waits on the worker: far beyond Jest's 5 s default.
jest.setTimeout(60_000);

/** A complete 1x1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
/** The start of a Windows executable, which the default config denies whatever the upload declares. */
const EXE = Buffer.concat([Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), randomBytes(4000)]);

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The api and the worker as separate processes on this run's database, Redis and local
 * disk: the whole life of a file, and who may see it.
 */
describe('files, end to end', () => {
  let api: AppProcess;
  let worker: AppProcess;
  let key: string;
  let tenantId: string;
  const storageRoot = testEnv().storageRoot;

  beforeAll(async () => {
    [api, worker] = await Promise.all([AppProcess.startReady('api'), AppProcess.startReady('worker')]);
    const tenant = await createTenant(api, 'Lifecycle Ltd');
    key = tenant.apiKey.key;
    tenantId = tenant.tenantId;
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
  });

  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    api.fetch(path, { headers: { ...bearer(key), ...headers } });

  it('walks a file from upload to purge', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 123);
    const created = await upload(api, key, bytes, {
      name: 'ré sumé (final).bin',
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(created.status).toBe(201);
    const pending = (await created.json()) as FileJson;
    expect(created.headers.get('location')).toBe(`/v1/files/${pending.id}`);
    expect(pending).toMatchObject({
      name: 'ré sumé (final).bin',
      size: bytes.length,
      contentType: 'application/octet-stream',
      sha256: null,
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
    expect(['pending', 'processing', 'ready']).toContain(pending.status);

    const ready = await waitForStatus(api, key, pending.id);
    expect(ready).toMatchObject({
      status: 'ready',
      sha256: sha256(bytes),
      size: bytes.length,
      failureReason: null,
    });
    expect(existsSync(join(storageRoot, `tenants/${tenantId}/files/${ready.id}`))).toBe(true);
    expect(existsSync(join(storageRoot, `tenants/${tenantId}/incoming/${ready.id}`))).toBe(false);

    // The bytes, identical, with their validators.
    const content = await get(`/v1/files/${ready.id}/content`);
    expect(content.status).toBe(200);
    expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
    const etag = `"${sha256(bytes)}"`;
    expect(content.headers.get('etag')).toBe(etag);
    expect(content.headers.get('content-length')).toBe(String(bytes.length));
    expect(content.headers.get('accept-ranges')).toBe('bytes');
    expect(content.headers.get('content-type')).toBe('application/octet-stream');
    expect(content.headers.get('content-disposition')).toBe(
      `attachment; filename="r_ sum_ (final).bin"; filename*=UTF-8''r%C3%A9%20sum%C3%A9%20%28final%29.bin`,
    );

    // Ranges.
    const middle = await get(`/v1/files/${ready.id}/content`, { range: 'bytes=100-199' });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await middle.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    const tail = await get(`/v1/files/${ready.id}/content`, { range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);
    const past = await get(`/v1/files/${ready.id}/content`, { range: `bytes=${bytes.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    expect(past.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const stale = await get(`/v1/files/${ready.id}/content`, { range: 'bytes=0-9', 'if-range': '"other"' });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBe(bytes.length);

    // Conditional GET.
    const cached = await get(`/v1/files/${ready.id}/content`, { 'if-none-match': `"x", ${etag}` });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(etag);
    expect(await cached.text()).toBe('');

    // A signed link: no Authorization header, works until it expires, refuses tampering.
    const short = await api.fetch(`/v1/files/${ready.id}/links`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/json' },
      // Long enough to be fetched on a loaded machine, short enough to watch it expire.
      body: JSON.stringify({ expiresInSeconds: 3 }),
    });
    expect(short.status).toBe(201);
    const shortLink = (await short.json()) as { url: string; expiresAt: string };
    expect(new Date(shortLink.expiresAt).getTime()).toBeGreaterThan(Date.now() - 1000);
    const viaLink = await fetch(shortLink.url);
    expect(viaLink.status).toBe(200);
    expect(Buffer.from(await viaLink.arrayBuffer()).equals(bytes)).toBe(true);
    const ranged = await fetch(shortLink.url, { headers: { range: 'bytes=0-3' } });
    expect(ranged.status).toBe(206);
    const tampered = await fetch(`${shortLink.url.slice(0, -2)}${shortLink.url.endsWith('A') ? 'BB' : 'AA'}`);
    expect(tampered.status).toBe(403);
    expect(((await tampered.json()) as Problem).type).toBe('urn:depot:problem:invalid-link');
    await waitFor('the link to expire', 8000, async () => (await fetch(shortLink.url)).status === 403);
    const expired = (await (await fetch(shortLink.url)).json()) as Problem;
    expect(expired).toMatchObject({ status: 403, detail: expect.stringMatching(/expired/) });

    const long = await api.fetch(`/v1/files/${ready.id}/links`, { method: 'POST', headers: bearer(key) });
    const longLink = (await long.json()) as { url: string };

    // Listed, then deleted: every read is a 404, the link stops, the bytes are purged.
    const listed = (await (await get('/v1/files')).json()) as { items: FileJson[] };
    expect(listed.items.map((file) => file.id)).toContain(ready.id);
    const deleted = await api.fetch(`/v1/files/${ready.id}`, { method: 'DELETE', headers: bearer(key) });
    expect(deleted.status).toBe(204);
    for (const path of [`/v1/files/${ready.id}`, `/v1/files/${ready.id}/content`]) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(
      (await api.fetch(`/v1/files/${ready.id}`, { method: 'DELETE', headers: bearer(key) })).status,
    ).toBe(404);
    expect((await fetch(longLink.url)).status).toBe(404);
    const after = (await (await get('/v1/files')).json()) as { items: FileJson[] };
    expect(after.items.map((file) => file.id)).not.toContain(ready.id);
    await waitFor(
      'the worker to purge the bytes',
      10_000,
      async () => !existsSync(join(storageRoot, `tenants/${tenantId}/files/${ready.id}`)),
    );
  });

  it('sniffs the real type: an image declared as octet-stream is ready, an executable declared as PDF fails', async () => {
    const image = (await (await upload(api, key, PNG, { name: 'pixel' })).json()) as FileJson;
    const disguised = (await (
      await upload(api, key, EXE, { name: 'invoice.pdf', type: 'application/pdf' })
    ).json()) as FileJson;
    expect(await waitForStatus(api, key, image.id)).toMatchObject({
      status: 'ready',
      detectedType: 'image/png',
    });
    const failed = await waitForStatus(api, key, disguised.id);
    expect(failed).toMatchObject({
      status: 'failed',
      contentType: 'application/pdf',
      detectedType: 'application/x-msdownload',
      failureReason: expect.stringMatching(/not accepted/),
    });
    const content = await get(`/v1/files/${failed.id}/content`);
    expect(content.status).toBe(409);
    expect(((await content.json()) as Problem).type).toBe('urn:depot:problem:file-not-ready');
    const link = await api.fetch(`/v1/files/${failed.id}/links`, { method: 'POST', headers: bearer(key) });
    expect(link.status).toBe(409);
  });

  it('refuses a declared type the config denies (415), no file (400) and an empty file (400)', async () => {
    const denied = await upload(api, key, randomBytes(10), { type: 'application/x-msdownload' });
    expect(denied.status).toBe(415);
    const empty = await upload(api, key, new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as Problem).errors).toEqual([
      { field: 'file', message: 'the file is empty' },
    ]);
    const form = new FormData();
    form.append('expiresAt', '2099-01-01T00:00:00Z');
    const none = await api.fetch('/v1/files', { method: 'POST', headers: bearer(key), body: form });
    expect(none.status).toBe(400);
    expect(((await none.json()) as Problem).errors?.[0]?.field).toBe('file');
  });

  it('hides a file from every read once its expiresAt has passed', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const file = (await (await upload(api, key, randomBytes(100), { expiresAt })).json()) as FileJson;
    expect(file.expiresAt).toBe(expiresAt);
    // Processed first, as a rule; on a loaded machine it may expire before it is: either way
    // what is asserted is the 404 once expiresAt has passed, waited for rather than timed.
    await waitFor('the file to be processed or expired', 15_000, async () => {
      const response = await get(`/v1/files/${file.id}`);
      if (response.status === 404) return true;
      const { status } = (await response.json()) as FileJson;
      return status === 'ready' || status === 'failed';
    });
    await waitFor(
      'the file to expire',
      15_000,
      async () => (await get(`/v1/files/${file.id}`)).status === 404,
    );
    expect((await get(`/v1/files/${file.id}/content`)).status).toBe(404);
    const listed = (await (await get('/v1/files')).json()) as { items: FileJson[] };
    expect(listed.items.map((item) => item.id)).not.toContain(file.id);
  });

  it("keeps tenants apart: another tenant's file is a 404 exactly like a missing one", async () => {
    const mine = (await (await upload(api, key, randomBytes(100))).json()) as FileJson;
    await waitForStatus(api, key, mine.id);
    const other = await createTenant(api, 'Other Corp');
    const theirs = bearer(other.apiKey.key);
    const missing = randomUUID();
    for (const [method, suffix] of [
      ['GET', ''],
      ['GET', '/content'],
      ['POST', '/links'],
      ['DELETE', ''],
    ] as const) {
      const foreign = await api.fetch(`/v1/files/${mine.id}${suffix}`, { method, headers: theirs });
      const absent = await api.fetch(`/v1/files/${missing}${suffix}`, { method, headers: theirs });
      expect([foreign.status, absent.status]).toEqual([404, 404]);
      const [a, b] = [(await foreign.json()) as Problem, (await absent.json()) as Problem];
      expect({ ...a, instance: undefined, requestId: undefined }).toEqual({
        ...b,
        instance: undefined,
        requestId: undefined,
      });
    }
    const listed = (await (await api.fetch('/v1/files', { headers: theirs })).json()) as {
      items: FileJson[];
    };
    expect(listed.items).toEqual([]);
    expect((await get(`/v1/files/${mine.id}`)).status).toBe(200);
  });

  it('enforces scopes, refuses the admin key on files and tenant keys on admin routes', async () => {
    const readOnly = await issueKey(api, tenantId, ['files:read']);
    const writeOnly = await issueKey(api, tenantId, ['files:write']);
    const refusedUpload = await upload(api, readOnly.key, randomBytes(10));
    expect(refusedUpload.status).toBe(403);
    expect(refusedUpload.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
    expect(((await refusedUpload.json()) as Problem).type).toBe('urn:depot:problem:insufficient-scope');
    expect((await api.fetch('/v1/files', { headers: bearer(writeOnly.key) })).status).toBe(403);
    expect((await api.fetch('/v1/files', { headers: bearer(readOnly.key) })).status).toBe(200);
    expect((await api.fetch('/v1/files', { headers: bearer(ADMIN_KEY) })).status).toBe(403);
    expect((await api.fetch('/v1/tenants', { headers: bearer(key) })).status).toBe(403);

    const anonymous = await api.fetch('/v1/files');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="depot"');
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const wrong = await api.fetch('/v1/files', { headers: bearer(`${key.slice(0, -4)}AAAA`) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('refuses a revoked key from the next request on, and never shows a key twice', async () => {
    const doomed = await issueKey(api, tenantId, ['files:read']);
    expect((await api.fetch('/v1/files', { headers: bearer(doomed.key) })).status).toBe(200);
    const revoked = await api.fetch(`/v1/api-keys/${doomed.id}`, {
      method: 'DELETE',
      headers: bearer(ADMIN_KEY),
    });
    expect(revoked.status).toBe(204);
    expect((await api.fetch('/v1/files', { headers: bearer(doomed.key) })).status).toBe(401);
    expect(
      (await api.fetch(`/v1/api-keys/${doomed.id}`, { method: 'DELETE', headers: bearer(ADMIN_KEY) })).status,
    ).toBe(204);
    expect(
      (await api.fetch(`/v1/api-keys/${randomUUID()}`, { method: 'DELETE', headers: bearer(ADMIN_KEY) }))
        .status,
    ).toBe(404);

    const listed = await api.fetch(`/v1/tenants/${tenantId}/api-keys`, { headers: bearer(ADMIN_KEY) });
    const { items } = (await listed.json()) as { items: Array<Record<string, unknown>> };
    const entry = items.find((item) => item.id === doomed.id)!;
    expect(entry).toMatchObject({ prefix: doomed.prefix, revokedAt: expect.any(String) });
    expect(entry.lastUsedAt).toEqual(expect.any(String));
    expect(JSON.stringify(items)).not.toContain(doomed.key);
    expect(items.every((item) => !('key' in item) && !('keyHash' in item))).toBe(true);
  });

  it('answers a repeated Idempotency-Key with the first upload, even when the repeats race', async () => {
    const idempotencyKey = randomUUID();
    const first = await upload(api, key, randomBytes(1000), { idempotencyKey });
    const again = await upload(api, key, randomBytes(2000), { idempotencyKey });
    expect([first.status, again.status]).toEqual([201, 201]);
    const [a, b] = [(await first.json()) as FileJson, (await again.json()) as FileJson];
    expect(b.id).toBe(a.id);
    expect(b.size).toBe(1000);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(`/v1/files/${a.id}`);

    const racing = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => upload(api, key, randomBytes(50_000), { idempotencyKey: racing })),
    );
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201]);
    const ids = new Set(
      await Promise.all(responses.map(async (response) => ((await response.json()) as FileJson).id)),
    );
    expect(ids.size).toBe(1);
    // The losers' bytes were dropped: only the winner's object is left once it is processed.
    const [id] = [...ids];
    await waitForStatus(api, key, id!);
    const incoming = join(storageRoot, `tenants/${tenantId}/incoming`);
    await waitFor("the losers' staged bytes to be removed", 10_000, async () => !existsSync(incoming));

    const reused = await api.fetch(`/v1/files/${a.id}`, { method: 'DELETE', headers: bearer(key) });
    expect(reused.status).toBe(204);
    const afterDelete = await upload(api, key, randomBytes(10), { idempotencyKey });
    expect(afterDelete.status).toBe(409);
  });

  it('pages through files newest first, filters by status, and refuses a forged cursor', async () => {
    const { apiKey } = await createTenant(api, 'Pager Inc');
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      ids.push(((await (await upload(api, apiKey.key, randomBytes(10 + index))).json()) as FileJson).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/files?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await api.fetch(query, { headers: bearer(apiKey.key) })).json()) as {
        items: FileJson[];
        nextCursor: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((file) => file.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    await Promise.all(ids.map((id) => waitForStatus(api, apiKey.key, id)));
    const ready = (await (
      await api.fetch('/v1/files?status=ready', { headers: bearer(apiKey.key) })
    ).json()) as {
      items: FileJson[];
    };
    expect(ready.items).toHaveLength(5);
    // A listed file is the file as its own read shows it, times to the millisecond included,
    // from the bucket's list as from the tenant's.
    const views = await Promise.all(
      [...ids]
        .reverse()
        .map(async (id) => (await api.fetch(`/v1/files/${id}`, { headers: bearer(apiKey.key) })).json()),
    );
    expect(ready.items).toEqual(views);
    const inBucket = (await (
      await api.fetch('/v1/files?bucket=default', { headers: bearer(apiKey.key) })
    ).json()) as { items: FileJson[] };
    expect(inBucket.items).toEqual(views);
    const failed = (await (
      await api.fetch('/v1/files?status=failed', { headers: bearer(apiKey.key) })
    ).json()) as {
      items: FileJson[];
    };
    expect(failed.items).toEqual([]);
    for (const query of [
      'status=deleted',
      'status=nope',
      'limit=0',
      'limit=101',
      'limit=x',
      'cursor=%21%21',
      'cursor=abc',
    ]) {
      const response = await api.fetch(`/v1/files?${query}`, { headers: bearer(apiKey.key) });
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(((await response.json()) as Problem).errors?.length).toBeGreaterThan(0);
    }
  });
});
