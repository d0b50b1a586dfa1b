import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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
import { testEnv } from '../../support/test-env';

// Starts real processes and waits on the worker: far beyond Jest's 5 s default.
jest.setTimeout(60_000);

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
  Buffer.alloc(200, 1),
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

interface BucketJson {
  name: string;
  allowedTypes: string[];
  maxFileSizeBytes: number | null;
  public: boolean;
  bytes: number;
  files: number;
}

interface UsageJson {
  bytes: number;
  files: number;
  quota: { maxBytes: number | null; maxFiles: number | null };
  buckets: { name: string; bytes: number; files: number }[];
}

/** Every file under a folder, recursively. */
function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('buckets, metadata, list filters and quotas', () => {
  let api: AppProcess;
  let worker: AppProcess;
  let key: string;
  let tenantId: string;
  const root = testEnv().storageRoot;

  const json = (method: string, body: unknown, auth = key): RequestInit => ({
    method,
    headers: { ...bearer(auth), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const get = (path: string, auth = key) => api.fetch(path, { headers: bearer(auth) });
  const usage = async (auth = key) => (await (await get('/v1/usage', auth)).json()) as UsageJson;
  const list = async (query: string, auth = key) => {
    const response = await get(`/v1/files?${query}`, auth);
    expect(response.status).toBe(200);
    return (await response.json()) as { items: FileJson[]; nextCursor: string | null };
  };

  beforeAll(async () => {
    [api, worker] = await Promise.all([AppProcess.startReady('api'), AppProcess.startReady('worker')]);
    const tenant = await createTenant(api, 'Buckets Inc');
    key = tenant.apiKey.key;
    tenantId = tenant.tenantId;
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
  });

  it('gives every new tenant a default bucket, and uploads naming no bucket land there', async () => {
    const buckets = (await (await get('/v1/buckets')).json()) as { items: BucketJson[] };
    expect(buckets.items.map((bucket) => bucket.name)).toEqual(['default']);
    const response = await upload(api, key, Buffer.from('hello'), { name: 'hello.txt', type: 'text/plain' });
    expect(response.status).toBe(201);
    expect(((await response.json()) as FileJson).bucket).toBe('default');
  });

  it('creates buckets with names and rules checked; a duplicate is 409; another tenant sees none of them', async () => {
    const created = await api.fetch(
      '/v1/buckets',
      json('POST', { name: 'avatars', allowedTypes: ['image/*'], maxFileSizeBytes: 1024 }),
    );
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      name: 'avatars',
      allowedTypes: ['image/*'],
      maxFileSizeBytes: 1024,
    });

    const duplicate = await api.fetch('/v1/buckets', json('POST', { name: 'avatars' }));
    expect(duplicate.status).toBe(409);
    expect(((await duplicate.json()) as Problem).type).toBe('urn:depot:problem:bucket-exists');

    for (const body of [
      { name: 'Avatars' },
      { name: 'a' },
      { name: '../x' },
      { name: 'ok-name', allowedTypes: ['not a type'] },
      { name: 'ok-name', maxFileSizeBytes: Number.MAX_SAFE_INTEGER },
    ]) {
      const refused = await api.fetch('/v1/buckets', json('POST', body));
      expect([refused.status, body]).toEqual([400, body]);
    }

    const other = await createTenant(api, 'Other Inc');
    expect((await get('/v1/buckets/avatars', other.apiKey.key)).status).toBe(404);
    expect((await upload(api, other.apiKey.key, PNG, { bucket: 'avatars', type: 'image/png' })).status).toBe(
      404,
    );
    expect((await get('/v1/files?bucket=avatars', other.apiKey.key)).status).toBe(404);
    expect((await get('/v1/buckets/..%2Fdefault')).status).toBe(404);
  });

  it("enforces the bucket's rules while streaming and keeps nothing refused", async () => {
    const before = await usage();
    const wrongType = await upload(api, key, Buffer.from('text'), { bucket: 'avatars', type: 'text/plain' });
    expect(wrongType.status).toBe(415);
    const tooLarge = await upload(api, key, Buffer.concat([PNG, Buffer.alloc(1024)]), {
      bucket: 'avatars',
      type: 'image/png',
    });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as Problem).detail).toContain('1024');
    expect((await upload(api, key, PNG, { bucket: 'nope', type: 'image/png' })).status).toBe(404);

    expect(await usage()).toEqual(before);
    expect((await list('bucket=avatars')).items).toEqual([]);
    expect(filesUnder(join(root, 'tenants', tenantId)).length).toBe(before.files);
    expect(filesUnder(join(root, '.depot', 'tmp'))).toEqual([]);

    // Declared as an image, but the bytes are a PDF: processing ends it failed, with the reason.
    const disguised = await upload(api, key, PDF, { bucket: 'avatars', type: 'image/png', name: 'x.png' });
    expect(disguised.status).toBe(201);
    const failed = await waitForStatus(api, key, ((await disguised.json()) as FileJson).id);
    expect(failed).toMatchObject({ status: 'failed', bucket: 'avatars' });
    expect(failed.failureReason).toContain('application/pdf');

    const image = await upload(api, key, PNG, { bucket: 'avatars', type: 'image/png', name: 'me.png' });
    expect(image.status).toBe(201);
    expect(await waitForStatus(api, key, ((await image.json()) as FileJson).id)).toMatchObject({
      status: 'ready',
      bucket: 'avatars',
    });
  });

  it("checks a tus upload's bucket rules and the quota at creation, from Upload-Length", async () => {
    const b64 = (value: string) => Buffer.from(value).toString('base64');
    const create = (length: number, metadata: Record<string, string>, auth = key) =>
      api.fetch('/v1/uploads', {
        method: 'POST',
        headers: {
          ...bearer(auth),
          'tus-resumable': '1.0.0',
          'upload-length': String(length),
          'upload-metadata': Object.entries(metadata)
            .map(([name, value]) => `${name} ${b64(value)}`)
            .join(','),
        },
      });
    expect((await create(10, { bucket: 'avatars', filetype: 'text/plain' })).status).toBe(415);
    expect((await create(2048, { bucket: 'avatars', filetype: 'image/png' })).status).toBe(413);
    expect((await create(10, { bucket: 'nope', filetype: 'image/png' })).status).toBe(404);

    const tenant = await createTenant(api, 'Tus quota');
    await api.fetch(`/v1/tenants/${tenant.tenantId}`, json('PATCH', { quota: { maxBytes: 100 } }, ADMIN_KEY));
    const over = await create(101, { filetype: 'text/plain' }, tenant.apiKey.key);
    expect(over.status).toBe(409);
    expect(((await over.json()) as Problem).type).toBe('urn:depot:problem:quota-max-bytes');
    const held = await create(60, { filetype: 'text/plain', metadata: '{"a":"b"}' }, tenant.apiKey.key);
    expect(held.status).toBe(201);
    // The declared length counts while it uploads: a second 60 bytes would pass the quota.
    expect((await usage(tenant.apiKey.key)).bytes).toBe(60);
    expect((await create(60, { filetype: 'text/plain' }, tenant.apiKey.key)).status).toBe(409);
    const terminated = await api.fetch(held.headers.get('location')!, {
      method: 'DELETE',
      headers: { ...bearer(tenant.apiKey.key), 'tus-resumable': '1.0.0' },
    });
    expect(terminated.status).toBe(204);
    expect(await usage(tenant.apiKey.key)).toMatchObject({ bytes: 0, files: 0 });
  });

  it('lets an upload link name a bucket, whose rules apply to the upload through it', async () => {
    expect((await api.fetch('/v1/upload-links', json('POST', { bucket: 'nope' }))).status).toBe(404);
    const link = async () =>
      (
        (await (await api.fetch('/v1/upload-links', json('POST', { bucket: 'avatars' }))).json()) as {
          url: string;
        }
      ).url;
    const post = async (url: string, bytes: Buffer, type: string) => {
      const form = new FormData();
      form.append('file', new Blob([bytes], { type }), 'x');
      return api.fetch(new URL(url).pathname, { method: 'POST', body: form });
    };
    const url = await link();
    expect((await post(url, Buffer.from('text'), 'text/plain')).status).toBe(415);
    const accepted = await post(url, PNG, 'image/png');
    expect(accepted.status).toBe(201);
    expect(((await accepted.json()) as FileJson).bucket).toBe('avatars');
  });

  it('keeps metadata sent before or after the file, and refuses metadata that is not an object of strings', async () => {
    const response = await upload(api, key, Buffer.from('m'), { metadata: { customer: 'c-42', kind: 'x' } });
    expect(response.status).toBe(201);
    const file = (await response.json()) as FileJson;
    expect(file.metadata).toEqual({ customer: 'c-42', kind: 'x' });
    expect(((await (await get(`/v1/files/${file.id}`)).json()) as FileJson).metadata).toEqual(file.metadata);

    const before = new FormData();
    before.append('metadata', '{"first":"yes"}');
    before.append('file', new Blob([Buffer.from('m')]), 'm.bin');
    const first = await api.fetch('/v1/files', { method: 'POST', headers: bearer(key), body: before });
    expect(((await first.json()) as FileJson).metadata).toEqual({ first: 'yes' });

    const filesBefore = (await usage()).files;
    for (const metadata of [
      '[1]',
      '{"n":1}',
      'not json',
      JSON.stringify(Object.fromEntries(Array.from({ length: 65 }, (_, index) => [`k${index}`, 'v']))),
      JSON.stringify({ big: 'x'.repeat(9000) }),
    ]) {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('m')]), 'm.bin');
      form.append('metadata', metadata);
      const refused = await api.fetch('/v1/files', { method: 'POST', headers: bearer(key), body: form });
      expect([refused.status, metadata.slice(0, 20)]).toEqual([400, metadata.slice(0, 20)]);
    }
    expect((await usage()).files).toBe(filesBefore);
  });

  it('lists by bucket, prefix and substring, with cursors that keep the filters', async () => {
    expect((await api.fetch('/v1/buckets', json('POST', { name: 'docs' }))).status).toBe(201);
    const names = [
      'reports/2026/a.txt',
      'reports/2026/B.txt',
      'reports/2025/c.txt',
      'misc/report.txt',
      '100%_x.txt',
    ];
    for (const name of names) {
      const response = await upload(api, key, Buffer.from(name), {
        bucket: 'docs',
        path: name,
        type: 'text/plain',
      });
      expect(response.status).toBe(201);
      expect(((await response.json()) as FileJson).name).toBe(name);
    }
    const inBucket = await list('bucket=docs&limit=100');
    expect(inBucket.items.map((file) => file.name)).toEqual([...names].reverse());

    expect((await list('bucket=docs&prefix=reports/2026/')).items.map((file) => file.name)).toEqual([
      'reports/2026/B.txt',
      'reports/2026/a.txt',
    ]);
    expect((await list('bucket=docs&q=b.TXT')).items.map((file) => file.name)).toEqual([
      'reports/2026/B.txt',
    ]);
    expect((await list('q=report')).items).toHaveLength(4);
    // `%` and `_` are literal characters, not patterns.
    expect((await list(`prefix=${encodeURIComponent('100%_')}`)).items.map((file) => file.name)).toEqual([
      '100%_x.txt',
    ]);
    expect((await list(`prefix=${encodeURIComponent('%')}`)).items).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: FileJson[]; nextCursor: string | null } = await list(
        `bucket=docs&prefix=reports/&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((file) => file.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['reports/2025/c.txt', 'reports/2026/B.txt', 'reports/2026/a.txt']);

    for (const bad of ['../x', 'a//b', '/abs', 'a\\b', 'dir/']) {
      expect([(await upload(api, key, Buffer.from('x'), { path: bad })).status, bad]).toEqual([400, bad]);
    }
    expect((await get('/v1/files?bucket=Not_A_Name')).status).toBe(400);
    expect((await get('/v1/files?bucket=missing')).status).toBe(404);
  });

  it('refuses to delete a bucket with files unless forced; forced, its files are deleted and usage drops', async () => {
    const { buckets } = await usage();
    const docs = buckets.find((bucket) => bucket.name === 'docs')!;
    expect(docs.files).toBe(5);
    const refused = await api.fetch('/v1/buckets/docs', { method: 'DELETE', headers: bearer(key) });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Problem).type).toBe('urn:depot:problem:bucket-not-empty');
    const before = await usage();
    const forced = await api.fetch('/v1/buckets/docs?force=true', { method: 'DELETE', headers: bearer(key) });
    expect(forced.status).toBe(204);
    const after = await usage();
    expect(after.files).toBe(before.files - 5);
    expect(after.bytes).toBe(before.bytes - docs.bytes);
    expect(after.buckets.map((bucket) => bucket.name)).not.toContain('docs');
    expect((await get('/v1/files?bucket=docs')).status).toBe(404);
    expect((await api.fetch('/v1/buckets/default', { method: 'DELETE', headers: bearer(key) })).status).toBe(
      409,
    );
  });

  it('counts usage from the files, and a quota holds against 20 concurrent uploads racing to it', async () => {
    const racer = await createTenant(api, 'Racer Ltd');
    const racerKey = racer.apiKey.key;
    const size = 1000;
    const patched = await api.fetch(
      `/v1/tenants/${racer.tenantId}`,
      json('PATCH', { quota: { maxBytes: 7 * size + 500 } }, ADMIN_KEY),
    );
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ quota: { maxBytes: 7500, maxFiles: null } });

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => upload(api, racerKey, Buffer.alloc(size, 7), { type: 'text/plain' })),
    );
    const statuses = responses.map((response) => response.status);
    const unexpected = responses.filter((response) => response.status !== 201 && response.status !== 409);
    expect(
      await Promise.all(unexpected.map(async (response) => `${response.status} ${await response.text()}`)),
    ).toEqual([]);
    const accepted = statuses.filter((status) => status === 201).length;
    expect(statuses.filter((status) => status !== 201).every((status) => status === 409)).toBe(true);
    // Each body fits one reservation step: it is reserved exactly, with its row, so exactly
    // the seven that fit are kept (none refused for room another upload held ahead of its bytes).
    expect(accepted).toBe(7);
    const refusal = responses.find((response) => response.status === 409)!;
    expect(((await refusal.json()) as Problem).type).toBe('urn:depot:problem:quota-max-bytes');

    const files = (await list('limit=100', racerKey)).items;
    expect(files).toHaveLength(accepted);
    const figures = await usage(racerKey);
    expect(figures).toMatchObject({
      bytes: files.reduce((sum, file) => sum + (file.size ?? 0), 0),
      files: accepted,
      quota: { maxBytes: 7500, maxFiles: null },
      buckets: [{ name: 'default', bytes: accepted * size, files: accepted }],
    });
    expect(filesUnder(join(root, 'tenants', racer.tenantId))).toHaveLength(accepted);

    // A file count quota, and deletes giving room back.
    await api.fetch(
      `/v1/tenants/${racer.tenantId}`,
      json('PATCH', { quota: { maxBytes: null, maxFiles: accepted } }, ADMIN_KEY),
    );
    const overCount = await upload(api, racerKey, Buffer.from('one more'));
    expect(overCount.status).toBe(409);
    expect(((await overCount.json()) as Problem).type).toBe('urn:depot:problem:quota-max-files');
    expect(
      (await api.fetch(`/v1/files/${files[0]!.id}`, { method: 'DELETE', headers: bearer(racerKey) })).status,
    ).toBe(204);
    expect(await usage(racerKey)).toMatchObject({ bytes: (accepted - 1) * size, files: accepted - 1 });
    expect((await upload(api, racerKey, Buffer.from('one more'))).status).toBe(201);
  });

  it('holds the quota while a large body streams: past it 409 and nothing kept, within it the usage exact', async () => {
    const MiB = 1024 * 1024;
    const streamer = await createTenant(api, 'Streamer Ltd');
    const streamerKey = streamer.apiKey.key;
    await api.fetch(
      `/v1/tenants/${streamer.tenantId}`,
      json('PATCH', { quota: { maxBytes: 3 * MiB, maxFiles: null } }, ADMIN_KEY),
    );
    // Over one step: reserved ahead of its bytes while it streams, settled to its size.
    const fits = await upload(api, streamerKey, Buffer.alloc(2 * MiB + 123, 1));
    expect(fits.status).toBe(201);
    expect(await usage(streamerKey)).toMatchObject({ bytes: 2 * MiB + 123, files: 1 });

    const over = await upload(api, streamerKey, Buffer.alloc(2 * MiB, 2));
    expect(over.status).toBe(409);
    expect(((await over.json()) as Problem).type).toBe('urn:depot:problem:quota-max-bytes');
    expect(await usage(streamerKey)).toMatchObject({
      bytes: 2 * MiB + 123,
      files: 1,
      buckets: [{ name: 'default', bytes: 2 * MiB + 123, files: 1 }],
    });
    expect(filesUnder(join(root, 'tenants', streamer.tenantId))).toHaveLength(1);
  });

  it('lets only the admin patch a tenant, and checks the quota', async () => {
    expect((await api.fetch(`/v1/tenants/${tenantId}`, json('PATCH', { name: 'x' }))).status).toBe(403);
    expect(
      (await api.fetch(`/v1/tenants/${tenantId}`, json('PATCH', { quota: { maxBytes: -1 } }, ADMIN_KEY)))
        .status,
    ).toBe(400);
    const renamed = await api.fetch(
      `/v1/tenants/${tenantId}`,
      json('PATCH', { name: 'Buckets Renamed' }, ADMIN_KEY),
    );
    expect(await renamed.json()).toMatchObject({
      name: 'Buckets Renamed',
      quota: { maxBytes: null, maxFiles: null },
    });
    expect(
      (
        await api.fetch(
          '/v1/tenants/00000000-0000-4000-8000-000000000000',
          json('PATCH', { name: 'x' }, ADMIN_KEY),
        )
      ).status,
    ).toBe(404);
  });
});
