import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppProcess } from '../../support/app-process';
import { ADMIN_KEY, createTenant, waitForStatus } from '../../support/depot-api';
import { loadClient, servesTus } from '../../support/depot-client';
import { testEnv } from '../../support/test-env';
import { itWithTus } from '../../support/tus-contract';
import { waitFor } from '../../support/wait';

type ClientModule = Awaited<ReturnType<typeof loadClient>>;

/** The api's upload limit in this file: small enough to exceed cheaply, above the resumable upload. */
const MAX_SIZE = 32 * 1024 * 1024;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Reads a web stream to the end. */
async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The built @depot/client against the built api and worker, as separate processes. */
describe('@depot/client against the api', () => {
  let client: ClientModule;
  let api: AppProcess;
  let worker: AppProcess;
  let key: string;
  let folder: string;

  beforeAll(async () => {
    client = await loadClient();
    folder = mkdtempSync(join(tmpdir(), 'depot-client-'));
    // A queue of its own: on the postgres backend the whole suite's apps otherwise share one
    // queue schema, where in full runs this file's listing test has waited past its timeout.
    const ownQueue = { QUEUE_PREFIX: `${testEnv().queuePrefix}-client` };
    [api, worker] = await Promise.all([
      AppProcess.startReady('api', { ...ownQueue, DEPOT__FILES__MAX_SIZE_BYTES: String(MAX_SIZE) }),
      AppProcess.startReady('worker', ownQueue),
    ]);
    key = (await createTenant(api, 'Client')).apiKey.key;
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    rmSync(folder, { recursive: true, force: true });
  });

  const depotWith = (apiKey = key, options: Partial<ConstructorParameters<ClientModule['Depot']>[0]> = {}) =>
    new client.Depot({ baseUrl: api.url, apiKey, ...options });

  it('uploads bytes, a Blob, a Node stream and a path, reporting progress to the last byte', async () => {
    const depot = depotWith();
    const content = randomBytes(300_000);
    const path = join(folder, 'from-disk.bin');
    writeFileSync(path, content);
    const sources = [
      { source: content, options: { name: 'bytes.bin' } },
      { source: new Blob([content], { type: 'application/x-test' }), options: { name: 'blob.bin' } },
      {
        source: Readable.from([content.subarray(0, 100_000), content.subarray(100_000)]),
        options: { name: 'stream.bin' },
      },
      { source: path, options: {} },
    ];
    for (const { source, options } of sources) {
      const seen: number[] = [];
      const file = await depot.files.upload(source, {
        ...options,
        onProgress: ({ bytes }) => seen.push(bytes),
      });
      expect(file.status).toBe('pending');
      expect(seen.at(-1)).toBe(content.length);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      const ready = await waitForStatus(api, key, file.id);
      expect(ready).toMatchObject({ status: 'ready', size: content.length, sha256: sha256(content) });
    }
    const fromDisk = (await depot.files.listPage({ limit: 1 })).items[0];
    expect(fromDisk?.name).toBe('from-disk.bin');
  });

  it('replays an upload with the same Idempotency-Key, and refuses one over the limit with 413', async () => {
    const depot = depotWith();
    const first = await depot.files.upload(Buffer.from('once'), {
      name: 'once.txt',
      idempotencyKey: 'client-replay-1',
    });
    const again = await depot.files.upload(randomBytes(2 * 1024 * 1024), {
      idempotencyKey: 'client-replay-1',
    });
    expect(again.id).toBe(first.id);

    const tooLarge = await depot.files
      .upload(randomBytes(MAX_SIZE + 1024 * 1024), { resumable: false, name: 'large.bin' })
      .catch((error: unknown) => error);
    expect(tooLarge).toBeInstanceOf(client.DepotError);
    expect(tooLarge).toMatchObject({ status: 413 });
  });

  it('makes a one-use upload link that takes one file with no key, into the tenant that made it', async () => {
    const depot = depotWith();
    const link = await depot.uploadLinks.create({ maxSizeBytes: 1024, name: 'from-a-link.txt' });
    expect(new Date(link.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const send = (bytes: number) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes).fill(65)], { type: 'text/plain' }), 'x.txt');
      return fetch(link.url, { method: 'POST', body: form });
    };
    expect((await send(2048)).status).toBe(413); // the link's own limit; the link stays usable
    const created = await send(10);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(await depot.files.get(id)).toMatchObject({ id, name: 'from-a-link.txt', size: 10 });
    expect((await send(10)).status).toBe(410); // once
  });

  it('lists every file across pages, newest first', async () => {
    const { apiKey } = await createTenant(api, 'Pages');
    let listCalls = 0;
    const depot = depotWith(apiKey.key, {
      fetch: (input, init) => {
        if (new URL(input instanceof Request ? input.url : String(input)).pathname === '/v1/files')
          listCalls += 1;
        return fetch(input, init);
      },
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1)
      ids.push((await depot.files.upload(Buffer.from(`file ${i}`), { name: `f${i}.txt` })).id);
    listCalls = 0;
    const listed: string[] = [];
    for await (const file of depot.files.list({ limit: 2 })) listed.push(file.id);
    expect(listed).toEqual([...ids].reverse());
    expect(listCalls).toBe(3);
  });

  it('downloads whole, by range (206) and conditionally (304), as streams', async () => {
    const depot = depotWith();
    const content = randomBytes(100_000);
    const { id } = await depot.files.upload(content, { name: 'range.bin' });
    await waitForStatus(api, key, id);

    const progress: number[] = [];
    const whole = await depot.files.download(id, { onProgress: ({ bytes }) => progress.push(bytes) });
    expect(whole).toMatchObject({
      status: 200,
      contentLength: content.length,
      fileName: 'range.bin',
      range: undefined,
    });
    expect(whole.etag).toBe(`"${sha256(content)}"`);
    expect((await bytesOf(whole.body)).equals(content)).toBe(true);
    expect(progress.at(-1)).toBe(content.length);

    const part = await depot.files.download(id, { range: { start: 10, end: 19 } });
    expect(part).toMatchObject({
      status: 206,
      contentLength: 10,
      range: { start: 10, end: 19, total: content.length },
    });
    expect((await bytesOf(part.body)).equals(content.subarray(10, 20))).toBe(true);

    const tail = await depot.files.download(id, { range: { start: content.length - 5 } });
    expect((await bytesOf(tail.body)).equals(content.subarray(-5))).toBe(true);

    const unchanged = await depot.files.download(id, { ifNoneMatch: whole.etag });
    expect(unchanged.status).toBe(304);
    expect((await bytesOf(unchanged.body)).length).toBe(0);
  });

  it('makes links and deletes files', async () => {
    const depot = depotWith();
    const { id } = await depot.files.upload(Buffer.from('linked'), { name: 'linked.txt' });
    await waitForStatus(api, key, id);
    const link = await depot.files.link(id, { expiresInSeconds: 60 });
    expect(new Date(link.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(await (await fetch(link.url)).text()).toBe('linked');

    await depot.files.delete(id);
    await expect(depot.files.get(id)).rejects.toMatchObject({ name: 'DepotError', status: 404 });
  });

  it('throws DepotError with the problem+json fields', async () => {
    const depot = depotWith();
    const missing = randomUUID();
    const notFound = await depot.files.get(missing).catch((error: unknown) => error);
    expect(notFound).toBeInstanceOf(client.DepotError);
    expect(notFound).toMatchObject({
      status: 404,
      title: 'Not Found',
      type: expect.any(String),
      detail: expect.any(String),
      instance: `/v1/files/${missing}`,
    });

    const { id } = await depot.files.upload(Buffer.from('mine'), { name: 'mine.txt' });
    const stranger = depotWith((await createTenant(api, 'Stranger')).apiKey.key);
    await expect(stranger.files.get(id)).rejects.toMatchObject({ status: 404 });
    await expect(stranger.files.download(id)).rejects.toMatchObject({ status: 404 });

    const invalid = await depot.files.link(id, { expiresInSeconds: 0 }).catch((error: unknown) => error);
    expect(invalid).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ field: 'expiresInSeconds' })],
    });

    await expect(depotWith('dpk_forged').files.listPage()).rejects.toMatchObject({ status: 401 });
    await expect(depotWith().admin.queues.counts()).rejects.toMatchObject({ status: 403 });
  });

  it('registers webhooks whose deliveries verifyWebhook accepts, and nothing tampered', async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const depot = depotWith((await createTenant(api, 'Hooks')).apiKey.key);
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const webhook = await depot.webhooks.create({ url, events: ['file.ready'] });
      expect((await depot.webhooks.list()).map((w) => w.id)).toEqual([webhook.id]);
      const file = await depot.files.upload(Buffer.from('signed'), { name: 'signed.txt' });

      const delivery = await waitFor('the file.ready delivery', 20_000, async () => received[0]);
      const header = delivery.headers['depot-signature'] as string;
      expect(await client.verifyWebhook(webhook.secret, header, delivery.body)).toMatchObject({
        valid: true,
      });
      expect(await client.verifyWebhook(webhook.secret, header, delivery.body.toString())).toMatchObject({
        valid: true,
      });
      expect(JSON.parse(delivery.body.toString())).toMatchObject({
        type: 'file.ready',
        data: { id: file.id },
      });

      const tampered = Buffer.from(delivery.body.toString().replace('signed.txt', 'forged.txt'));
      expect(await client.verifyWebhook(webhook.secret, header, tampered)).toEqual({
        valid: false,
        reason: 'mismatch',
      });
      expect(await client.verifyWebhook('whsec_other', header, delivery.body)).toEqual({
        valid: false,
        reason: 'mismatch',
      });
      const later = new Date(Date.now() + 3600_000);
      expect(await client.verifyWebhook(webhook.secret, header, delivery.body, { now: later })).toEqual({
        valid: false,
        reason: 'expired',
      });

      const deliveries = await waitFor('the delivery to be recorded as succeeded', 20_000, async () => {
        const all = [];
        for await (const item of depot.webhooks.deliveries(webhook.id)) all.push(item);
        return all.some((item) => item.status === 'succeeded') && all;
      });
      expect(deliveries).toEqual([expect.objectContaining({ event: 'file.ready', status: 'succeeded' })]);
      await depot.webhooks.delete(webhook.id);
      expect(await depot.webhooks.list()).toEqual([]);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it("runs the operator's calls with the admin key", async () => {
    const admin = depotWith(ADMIN_KEY);
    const tenant = await admin.admin.tenants.create('Operated');
    const tenants = [];
    for await (const item of admin.admin.tenants.list({ limit: 2 })) tenants.push(item.id);
    expect(tenants).toContain(tenant.id);

    const issued = await admin.admin.keys.create(tenant.id, { name: 'reader', scopes: ['files:read'] });
    expect((await admin.admin.keys.list(tenant.id)).map((k) => k.id)).toEqual([issued.id]);
    const reader = depotWith(issued.key);
    expect((await reader.files.listPage()).items).toEqual([]);
    await expect(reader.files.upload(Buffer.from('x'))).rejects.toMatchObject({ status: 403 });
    await admin.admin.keys.revoke(issued.id);
    await expect(reader.files.listPage()).rejects.toMatchObject({ status: 401 });

    expect((await admin.admin.queues.counts()).map((q) => q.name).sort()).toEqual([
      'files',
      'maintenance',
      'webhooks',
    ]);
    expect(await admin.admin.queues.retryFailed('files')).toMatchObject({ queue: 'files', retried: 0 });
    expect(Array.isArray(await admin.admin.scheduler.runs({ task: 'usageReport' }))).toBe(true);
  });

  itWithTus(
    'uploads a large file resumably, resumes after an interruption, and ends with the right sha256',
    async () => {
      expect(await servesTus(api.url, key)).toBe(true);
      const content = randomBytes(24 * 1024 * 1024);
      const path = join(folder, 'large.bin');
      writeFileSync(path, content);
      const urlStorage = client.fileUrlStorage(join(folder, 'uploads.json'));
      const depot = depotWith(key, { chunkSize: 4 * 1024 * 1024, resumableThresholdBytes: 16 * 1024 * 1024 });

      // First attempt: abort once a third has arrived.
      const abort = new AbortController();
      const first = depot.files.upload(path, {
        urlStorage,
        signal: abort.signal,
        onProgress: ({ bytes, total }) => {
          if (total && bytes >= total / 3) abort.abort(new Error('interrupted'));
        },
      });
      await expect(first).rejects.toThrow('interrupted');

      // Second attempt ('auto' picks tus above the threshold) resumes where the server stopped.
      const seen: number[] = [];
      const file = await depot.files.upload(path, {
        urlStorage,
        onProgress: ({ bytes }) => seen.push(bytes),
      });
      expect(seen.find((bytes) => bytes > 0)).toBeGreaterThanOrEqual(4 * 1024 * 1024);
      expect(seen.at(-1)).toBe(content.length);
      const ready = await waitForStatus(api, key, file.id, ['ready', 'failed'], 60_000);
      expect(ready).toMatchObject({ status: 'ready', size: content.length, sha256: sha256(content) });
    },
  );
});
