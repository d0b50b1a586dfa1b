import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type S3rver, startS3rver } from '../../integration/storage/support/s3rver';
import { AppProcess } from '../../support/app-process';
import {
  ADMIN_KEY,
  bearer,
  createTenant,
  type FileJson,
  type Problem,
  upload,
  waitForStatus,
} from '../../support/depot-api';
import { waitFor } from '../../support/wait';

jest.setTimeout(90_000);

interface Received {
  event: string;
  body: string;
  signature: string;
}

/** A webhook destination that keeps what it receives. */
async function receiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        event: String(request.headers['depot-event']),
        body: Buffer.concat(chunks).toString(),
        signature: String(request.headers['depot-signature']),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.each(['local', 's3'] as const)('copy, move and public files on the %s disk', (driver) => {
  let s3: S3rver | undefined;
  let api: AppProcess;
  let worker: AppProcess;
  let key: string;
  let tenantId: string;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let secret: string;

  const json = (method: string, body: unknown, auth = key): RequestInit => ({
    method,
    headers: { ...bearer(auth), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const get = (path: string, headers: Record<string, string> = bearer(key)) => api.fetch(path, { headers });
  const usage = async () =>
    (await (await get('/v1/usage')).json()) as {
      bytes: number;
      files: number;
      buckets: { name: string; bytes: number; files: number }[];
    };
  const bucketUsage = async (name: string) => (await usage()).buckets.find((bucket) => bucket.name === name);

  beforeAll(async () => {
    let env: Record<string, string> = {};
    if (driver === 's3') {
      s3 = await startS3rver(['depot-buckets']);
      env = s3.appEnv('depot-buckets');
    }
    [api, worker] = await Promise.all([
      AppProcess.startReady('api', env),
      AppProcess.startReady('worker', env),
    ]);
    const tenant = await createTenant(api, `Copies on ${driver}`);
    key = tenant.apiKey.key;
    tenantId = tenant.tenantId;
    hooks = await receiver();
    const webhook = await api.fetch(
      '/v1/webhooks',
      json('POST', { url: hooks.url, events: ['file.copied', 'file.updated'] }),
    );
    expect(webhook.status).toBe(201);
    secret = ((await webhook.json()) as { secret: string }).secret;
    for (const body of [
      { name: 'archive', allowedTypes: ['text/*'] },
      { name: 'images', allowedTypes: ['image/*'] },
      { name: 'tiny', maxFileSizeBytes: 4 },
      { name: 'pub', public: true, cacheMaxAgeSeconds: 60 },
    ]) {
      expect((await api.fetch('/v1/buckets', json('POST', body))).status).toBe(201);
    }
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await hooks?.close();
    await s3?.stop();
  });

  function verified(event: string): Record<string, unknown>[] {
    return hooks.received
      .filter((delivery) => delivery.event === event)
      .map((delivery) => {
        const [t, v1] = delivery.signature.split(',').map((part) => part.split('=')[1]);
        const expected = createHmac('sha256', secret).update(`${t}.${delivery.body}`).digest('hex');
        expect(v1).toBe(expected);
        return (JSON.parse(delivery.body) as { data: Record<string, unknown> }).data;
      });
  }

  async function readyFile(bytes: string, options: Parameters<typeof upload>[3] = {}): Promise<FileJson> {
    const response = await upload(api, key, Buffer.from(bytes), { type: 'text/plain', ...options });
    expect(response.status).toBe(201);
    return waitForStatus(api, key, ((await response.json()) as FileJson).id);
  }

  it('copies a ready file server-side into another bucket, as a new ready file with the same bytes', async () => {
    const source = await readyFile('the same bytes', { path: 'notes/a.txt', metadata: { k: 'v' } });
    const copied = await api.fetch(
      `/v1/files/${source.id}/copy`,
      json('POST', { bucket: 'archive', name: 'old/a.txt' }),
    );
    expect(copied.status).toBe(201);
    const copy = (await copied.json()) as FileJson;
    expect(copied.headers.get('location')).toBe(`/v1/files/${copy.id}`);
    expect(copy).toMatchObject({
      bucket: 'archive',
      name: 'old/a.txt',
      status: 'ready',
      sha256: source.sha256,
      contentType: source.contentType,
      size: source.size,
      metadata: { k: 'v' },
    });
    expect(copy.id).not.toBe(source.id);
    expect(await (await get(`/v1/files/${copy.id}/content`)).text()).toBe('the same bytes');
    expect(await bucketUsage('archive')).toEqual({ name: 'archive', bytes: source.size, files: 1 });

    // The copy stands alone: deleting the source leaves it readable.
    expect(
      (await api.fetch(`/v1/files/${source.id}`, { method: 'DELETE', headers: bearer(key) })).status,
    ).toBe(204);
    expect(await (await get(`/v1/files/${copy.id}/content`)).text()).toBe('the same bytes');

    const events = await waitFor('file.copied to arrive', 15_000, async () => {
      const data = verified('file.copied');
      return data.length > 0 ? data : undefined;
    });
    expect(events[0]).toMatchObject({ id: copy.id, bucket: 'archive', copiedFrom: source.id });
  });

  it("applies the destination bucket's rules and the quota to a copy, and stores nothing refused", async () => {
    const source = await readyFile('hello there');
    const before = await usage();
    const wrongType = await api.fetch(`/v1/files/${source.id}/copy`, json('POST', { bucket: 'images' }));
    expect(wrongType.status).toBe(415);
    const tooLarge = await api.fetch(`/v1/files/${source.id}/copy`, json('POST', { bucket: 'tiny' }));
    expect(tooLarge.status).toBe(413);
    expect((await api.fetch(`/v1/files/${source.id}/copy`, json('POST', { bucket: 'nope' }))).status).toBe(
      404,
    );
    expect((await api.fetch(`/v1/files/${source.id}/copy`, json('POST', { name: '../x' }))).status).toBe(400);

    await api.fetch(
      `/v1/tenants/${tenantId}`,
      json('PATCH', { quota: { maxBytes: before.bytes + 5 } }, ADMIN_KEY),
    );
    const overQuota = await api.fetch(`/v1/files/${source.id}/copy`, json('POST', {}));
    expect(overQuota.status).toBe(409);
    expect(((await overQuota.json()) as Problem).type).toBe('urn:depot:problem:quota-max-bytes');
    await api.fetch(`/v1/tenants/${tenantId}`, json('PATCH', { quota: { maxBytes: null } }, ADMIN_KEY));
    expect(await usage()).toEqual(before);
  });

  it("renames, moves under the new bucket's rules, and replaces metadata", async () => {
    const file = await readyFile('move me', { metadata: { a: '1' } });
    const before = await usage();
    const refused = await api.fetch(`/v1/files/${file.id}`, json('PATCH', { bucket: 'images' }));
    expect(refused.status).toBe(415);
    expect((await api.fetch(`/v1/files/${file.id}`, json('PATCH', { bucket: 'tiny' }))).status).toBe(413);
    expect((await api.fetch(`/v1/files/${file.id}`, json('PATCH', { metadata: { n: 1 } }))).status).toBe(400);
    expect((await api.fetch(`/v1/files/${file.id}`, json('PATCH', { name: 'a//b' }))).status).toBe(400);

    const moved = await api.fetch(
      `/v1/files/${file.id}`,
      json('PATCH', { bucket: 'archive', name: 'moved/me.txt', metadata: { b: '2' } }),
    );
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({
      id: file.id,
      bucket: 'archive',
      name: 'moved/me.txt',
      metadata: { b: '2' },
    });
    const after = await usage();
    expect([after.bytes, after.files]).toEqual([before.bytes, before.files]);
    const by = (figures: typeof before, name: string) =>
      figures.buckets.find((bucket) => bucket.name === name)!;
    expect(by(after, 'archive').bytes - by(before, 'archive').bytes).toBe(file.size);
    expect(by(before, 'default').bytes - by(after, 'default').bytes).toBe(file.size);
    expect((await get('/v1/files?bucket=archive&prefix=moved/')).status).toBe(200);
    const content = await get(`/v1/files/${file.id}/content`);
    expect(content.headers.get('content-disposition')).toContain('me.txt');

    const updated = await waitFor('file.updated to arrive', 15_000, async () => {
      const data = verified('file.updated').filter((event) => event.id === file.id);
      return data.length > 0 ? data : undefined;
    });
    expect(updated[0]).toMatchObject({ bucket: 'archive', name: 'moved/me.txt' });
  });

  it('serves files of a public bucket with no key until the bucket is made private or the file deleted', async () => {
    const file = await readyFile('public bytes', { bucket: 'pub' });
    expect(file.publicUrl).toMatch(new RegExp(`/v1/public/files/${file.id}$`));
    const path = new URL(file.publicUrl!).pathname;

    const read = await api.fetch(path);
    expect(read.status).toBe(200);
    expect(await read.text()).toBe('public bytes');
    expect(read.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = read.headers.get('etag')!;
    expect(etag).toBe(`"${file.sha256}"`);
    expect((await api.fetch(path, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const partial = await api.fetch(path, { headers: { range: 'bytes=0-5' } });
    expect([partial.status, await partial.text()]).toEqual([206, 'public']);

    const privateFile = await readyFile('private bytes');
    expect(privateFile.publicUrl).toBeUndefined();
    expect((await api.fetch(`/v1/public/files/${privateFile.id}`)).status).toBe(404);
    expect((await api.fetch('/v1/public/files/not-a-uuid')).status).toBe(404);

    expect((await api.fetch('/v1/buckets/pub', json('PATCH', { public: false }))).status).toBe(200);
    expect((await api.fetch(path)).status).toBe(404);
    expect(((await (await get(`/v1/files/${file.id}`)).json()) as FileJson).publicUrl).toBeUndefined();
    expect((await api.fetch('/v1/buckets/pub', json('PATCH', { public: true }))).status).toBe(200);
    expect((await api.fetch(path)).status).toBe(200);

    expect((await api.fetch(`/v1/files/${file.id}`, { method: 'DELETE', headers: bearer(key) })).status).toBe(
      204,
    );
    expect((await api.fetch(path)).status).toBe(404);
  });
});
