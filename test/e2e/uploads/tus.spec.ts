import { randomBytes } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { request as httpRequest } from 'node:http';
import { AppProcess } from '../../support/app-process';
import {
  bearer,
  createTenant,
  type FileJson,
  issueKey,
  type Problem,
  waitForStatus,
} from '../../support/depot-api';
import { testEnv } from '../../support/test-env';
import { waitFor } from '../../support/wait';
import { startS3rver, type S3rver } from '../../integration/storage/support/s3rver';
import { MiB, sha256, tusMetadata, tusOptions, tusUpload, tusUploadUntil, uploadId } from './tus-support';

jest.setTimeout(120_000);

const TUS = { 'tus-resumable': '1.0.0' };

/** The resumable walk on one disk: interrupted on one api process, finished on another. */
async function interruptedAndResumed(
  first: AppProcess,
  resumeOn: () => Promise<AppProcess>,
  key: string,
  size: number,
  chunkSize: number,
): Promise<void> {
  const bytes = randomBytes(size);
  const interruptedUrl = await tusUploadUntil(
    bytes,
    size / 3,
    tusOptions(first, key, {
      chunkSize,
      metadata: { filename: 'holiday video.mp4', filetype: 'video/mp4' },
    }),
  );
  const id = uploadId(interruptedUrl);

  // Between the two: the file is there, uploading, with the bytes so far, and not in the default list.
  // Progress is recorded just after each PATCH is answered.
  const during = await waitFor('the bytes so far to be recorded', 10_000, async () => {
    const file = (await (await first.fetch(`/v1/files/${id}`, { headers: bearer(key) })).json()) as FileJson;
    return file.receivedBytes! >= size / 3 && file;
  });
  expect(during).toMatchObject({ id, status: 'uploading', size, name: 'holiday video.mp4' });
  expect(during.receivedBytes).toBeLessThan(size);
  const list = (await (await first.fetch('/v1/files', { headers: bearer(key) })).json()) as {
    items: FileJson[];
  };
  expect(list.items.map((file) => file.id)).not.toContain(id);
  const uploading = (await (
    await first.fetch('/v1/files?status=uploading', { headers: bearer(key) })
  ).json()) as { items: FileJson[] };
  expect(uploading.items.map((file) => file.id)).toContain(id);

  // Resumed on another process: the client asks where to go on (HEAD) and sends the rest.
  const second = await resumeOn();
  await tusUpload(bytes, tusOptions(second, key, { chunkSize, uploadUrl: `${second.url}/v1/uploads/${id}` }));

  const ready = await waitForStatus(second, key, id, ['ready', 'failed'], 60_000);
  expect(ready).toMatchObject({ status: 'ready', size, receivedBytes: size, sha256: sha256(bytes) });
  const content = await second.fetch(`/v1/files/${id}/content`, {
    headers: { ...bearer(key), range: `bytes=${size - 1000}-` },
  });
  expect(content.status).toBe(206);
  expect(Buffer.from(await content.arrayBuffer()).equals(bytes.subarray(size - 1000))).toBe(true);
}

/** `POST /v1/uploads` with raw headers: for what tus clients would not send. */
function create(
  api: AppProcess,
  key: string | undefined,
  headers: Record<string, string>,
): Promise<Response> {
  return api.fetch('/v1/uploads', {
    method: 'POST',
    headers: { ...TUS, ...(key ? bearer(key) : {}), ...headers },
  });
}

describe('tus uploads on the local disk, end to end', () => {
  let apiA: AppProcess;
  let apiB: AppProcess;
  let worker: AppProcess;
  let key: string;
  const root = testEnv().storageRoot;

  beforeAll(async () => {
    const env = { DEPOT__UPLOADS__LOCK_WAIT_MS: '300' };
    // A has CORS on (the browser case); B has it off, as the api ships.
    [apiA, apiB, worker] = await Promise.all([
      AppProcess.startReady('api', { ...env, DEPOT__API__CORS__ORIGINS: 'https://app.example' }),
      AppProcess.startReady('api', env),
      AppProcess.startReady('worker'),
    ]);
    key = (await createTenant(apiA, 'Resumable Ltd')).apiKey.key;
  });

  afterAll(async () => {
    await Promise.all([apiA?.stop(), apiB?.stop(), worker?.stop()]);
  });

  it('says what it supports (OPTIONS)', async () => {
    const response = await apiB.fetch('/v1/uploads', { method: 'OPTIONS', headers: bearer(key) });
    expect(response.status).toBe(204);
    expect(response.headers.get('tus-version')).toBe('1.0.0');
    expect(response.headers.get('tus-max-size')).toBe(String(1024 * 1024 * 1024));
    expect(response.headers.get('tus-extension')?.split(',')).toEqual(
      expect.arrayContaining(['creation', 'creation-with-upload', 'termination', 'expiration']),
    );
  });

  it('lets a browser app on an allowed origin speak tus (CORS)', async () => {
    const preflight = await apiA.fetch('/v1/uploads/0b7e2c1e-6f1a-4c51-9a3e-2f4c1d2b3a4f', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,tus-resumable,upload-offset,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/PATCH/);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/upload-offset/);

    const created = await create(apiA, key, { 'upload-length': '11', origin: 'https://app.example' });
    expect(created.status).toBe(201);
    const exposed = (created.headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
    expect(exposed).toEqual(
      expect.arrayContaining([
        'location',
        'tus-resumable',
        'upload-offset',
        'upload-length',
        'upload-expires',
      ]),
    );
  });

  it('takes 48 MiB in 4 MiB chunks, interrupted at a third and resumed on a second api process', async () => {
    await interruptedAndResumed(apiA, () => Promise.resolve(apiB), key, 48 * MiB, 4 * MiB);
  });

  it('creates with the first bytes in the POST (creation-with-upload) and finishes in it', async () => {
    const bytes = randomBytes(1000);
    const response = await apiA.fetch('/v1/uploads', {
      method: 'POST',
      headers: {
        ...TUS,
        ...bearer(key),
        'upload-length': '1000',
        'upload-metadata': tusMetadata({ name: 'small.bin', expiresAt: '2099-01-01T00:00:00Z' }),
        'content-type': 'application/offset+octet-stream',
      },
      body: bytes,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('upload-offset')).toBe('1000');
    const id = uploadId(response.headers.get('location')!);
    expect(response.headers.get('location')).toBe(`/v1/uploads/${id}`);
    const file = await waitForStatus(apiA, key, id);
    expect(file).toMatchObject({
      name: 'small.bin',
      status: 'ready',
      sha256: sha256(bytes),
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
  });

  it('terminates: DELETE removes the partial bytes and the file', async () => {
    const url = await tusUploadUntil(randomBytes(3 * MiB), MiB, tusOptions(apiA, key, { chunkSize: MiB }));
    const id = uploadId(url);
    expect(existsSync(join(root, 'uploads', id))).toBe(true);
    const head = await apiB.fetch(`/v1/uploads/${id}`, {
      method: 'HEAD',
      headers: { ...TUS, ...bearer(key) },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(MiB));
    expect(head.headers.get('upload-length')).toBe(String(3 * MiB));
    expect(head.headers.get('upload-expires')).toBeTruthy();

    const deleted = await apiB.fetch(`/v1/uploads/${id}`, {
      method: 'DELETE',
      headers: { ...TUS, ...bearer(key) },
    });
    expect(deleted.status).toBe(204);
    expect((await apiA.fetch(`/v1/files/${id}`, { headers: bearer(key) })).status).toBe(404);
    expect(existsSync(join(root, 'uploads', id))).toBe(false);
    expect(existsSync(join(root, 'uploads', `${id}.json`))).toBe(false);
    const again = await apiA.fetch(`/v1/uploads/${id}`, {
      method: 'HEAD',
      headers: { ...TUS, ...bearer(key) },
    });
    expect(again.status).toBe(404);
  });

  it('answers 404 to another tenant for every method, and changes nothing', async () => {
    const url = await tusUploadUntil(randomBytes(2 * MiB), MiB, tusOptions(apiA, key, { chunkSize: MiB }));
    const id = uploadId(url);
    const other = (await createTenant(apiA, 'Nosy Ltd')).apiKey.key;
    const asOther = { ...TUS, ...bearer(other) };
    const answers = await Promise.all([
      apiA.fetch(`/v1/uploads/${id}`, { method: 'HEAD', headers: asOther }),
      apiA.fetch(`/v1/uploads/${id}`, {
        method: 'PATCH',
        headers: {
          ...asOther,
          'upload-offset': String(MiB),
          'content-type': 'application/offset+octet-stream',
        },
        body: randomBytes(MiB),
      }),
      apiA.fetch(`/v1/uploads/${id}`, { method: 'DELETE', headers: asOther }),
      apiA.fetch(`/v1/files/${id}`, { headers: bearer(other) }),
    ]);
    expect(answers.map((response) => response.status)).toEqual([404, 404, 404, 404]);
    const patchProblem = (await answers[1]!.json()) as Problem;
    expect(answers[1]!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(patchProblem.status).toBe(404);

    const head = await apiA.fetch(`/v1/uploads/${id}`, {
      method: 'HEAD',
      headers: { ...TUS, ...bearer(key) },
    });
    expect(head.headers.get('upload-offset')).toBe(String(MiB));
  });

  it('refuses at creation: no key 401, no scope 403, over the limit 413, a refused type 415', async () => {
    const { tenantId } = await createTenant(apiA, 'Limits Ltd');
    const reader = (await issueKey(apiA, tenantId, ['files:read'])).key;
    const cases = await Promise.all([
      create(apiA, undefined, { 'upload-length': '10' }),
      create(apiA, reader, { 'upload-length': '10' }),
      create(apiA, key, { 'upload-length': String(2 * 1024 * 1024 * 1024) }),
      create(apiA, key, {
        'upload-length': '10',
        'upload-metadata': tusMetadata({ filename: 'setup.exe', filetype: 'application/x-msdownload' }),
      }),
      create(apiA, key, { 'upload-length': '10', 'upload-metadata': tusMetadata({ expiresAt: 'tomorrow' }) }),
    ]);
    expect(cases.map((response) => response.status)).toEqual([401, 403, 413, 415, 400]);
    for (const response of cases) {
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(((await cases[4]!.json()) as Problem).errors?.[0]?.field).toBe('Upload-Metadata:expiresAt');
    // Nothing was left behind by the refusals.
    const listed = (await (
      await apiA.fetch('/v1/files?status=uploading', { headers: bearer(key) })
    ).json()) as { items: FileJson[] };
    expect(listed.items.every((file) => file.size !== 10)).toBe(true);
  });

  it('serialises two PATCHes of one upload on two processes: the second gets 423, the file is whole', async () => {
    const size = 2 * MiB;
    const bytes = randomBytes(size);
    const created = await create(apiA, key, { 'upload-length': String(size) });
    const id = uploadId(created.headers.get('location')!);

    // The first PATCH sends half its body and holds on, so it holds the lock.
    const slowBody = new PassThrough();
    const first = rawPatch(apiA, key, id, 0, size, slowBody);
    slowBody.write(bytes.subarray(0, MiB));
    await waitFor('the first PATCH to be writing', 10_000, async () => {
      return (await stat(join(root, 'uploads', id))).size > 0;
    });

    // A HEAD meanwhile waits for the lock too, and is told to come back.
    const head = await apiB.fetch(`/v1/uploads/${id}`, {
      method: 'HEAD',
      headers: { ...TUS, ...bearer(key) },
    });
    expect(head.status).toBe(423);

    // Meanwhile a second client sends the whole upload from 0 to the other process.
    const second = await apiB.fetch(`/v1/uploads/${id}`, {
      method: 'PATCH',
      headers: {
        ...TUS,
        ...bearer(key),
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      body: bytes,
    });
    expect(second.status).toBe(423);
    expect(second.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    // The refused body does not spoil the connection: the next requests on it are answered.
    for (let i = 0; i < 5; i += 1) {
      const again = await apiB.fetch('/health/live');
      expect(again.status).toBe(200);
      await again.arrayBuffer();
    }

    slowBody.end(bytes.subarray(MiB));
    expect(await first).toBe(204);
    const file = await waitForStatus(apiA, key, id);
    expect(file).toMatchObject({ status: 'ready', sha256: sha256(bytes), size });
  });

  // On A (no api of its own: its CORS and lock wait play no part here), with a worker that
  // expires uploads after a second in place of the shipped one, stopped first so that no
  // sweep goes to a worker that would keep the upload.
  describe('abandoned uploads expire through the scheduler', () => {
    let scheduler: AppProcess | undefined;
    let forgetfulKey: string;

    beforeAll(async () => {
      const env = {
        DEPOT__UPLOADS__EXPIRE_AFTER_SECONDS: '1',
        DEPOT__SCHEDULER__TASKS__RETENTION_SWEEP__CRON: '* * * * * *',
      };
      await worker.stop();
      worker = await AppProcess.startReady('worker', env);
      forgetfulKey = (await createTenant(apiA, 'Forgetful Ltd')).apiKey.key;
    });

    afterAll(async () => {
      await scheduler?.stop();
    });

    it('removes the bytes and the file, and counts it', async () => {
      const url = await tusUploadUntil(
        randomBytes(2 * MiB),
        MiB,
        tusOptions(apiA, forgetfulKey, { chunkSize: MiB }),
      );
      const id = uploadId(url);
      expect(existsSync(join(root, 'uploads', id))).toBe(true);
      scheduler = await AppProcess.startReady('scheduler', {
        DEPOT__SCHEDULER__TASKS__RETENTION_SWEEP__CRON: '* * * * * *',
      });

      await waitFor('the upload to expire', 30_000, async () => {
        const response = await apiA.fetch(`/v1/files/${id}`, { headers: bearer(forgetfulKey) });
        return response.status === 404;
      });
      expect(existsSync(join(root, 'uploads', id))).toBe(false);
      expect(existsSync(join(root, 'uploads', `${id}.json`))).toBe(false);
      // Counted just after the upload is gone: wait for the count rather than read it at once.
      await waitFor('the expired upload to be counted', 10_000, async () =>
        /^depot_uploads_expired_total [1-9]/m.test(await (await worker.fetch('/metrics')).text()),
      );
    });
  });
});

/** A PATCH whose body is a stream the test controls; resolves with the status. */
function rawPatch(
  api: AppProcess,
  key: string,
  id: string,
  offset: number,
  length: number,
  body: Readable,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${api.url}/v1/uploads/${id}`,
      {
        method: 'PATCH',
        headers: {
          ...TUS,
          ...bearer(key),
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
          'content-length': String(length),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    body.pipe(request);
  });
}

describe('tus uploads on S3, end to end', () => {
  let s3: S3rver;
  let apiA: AppProcess;
  let apiB: AppProcess;
  let worker: AppProcess;
  let key: string;

  let env: Record<string, string>;

  beforeAll(async () => {
    s3 = await startS3rver(['depot-tus']);
    env = s3.appEnv('depot-tus');
    [apiA, apiB, worker] = await Promise.all([
      AppProcess.startReady('api', env),
      AppProcess.startReady('api', env),
      AppProcess.startReady('worker', env),
    ]);
    key = (await createTenant(apiA, 'Bucket Ltd')).apiKey.key;
  });

  afterAll(async () => {
    await Promise.all([apiA?.stop(), apiB?.stop(), worker?.stop()]);
    await s3?.stop();
  });

  it('takes 24 MiB in 8 MiB chunks, interrupted, and resumed after its api process restarted', async () => {
    const restart = async (): Promise<AppProcess> => {
      expect(await apiA.stop()).toBe(0);
      apiA = await AppProcess.startReady('api', env);
      return apiA;
    };
    await interruptedAndResumed(apiA, restart, key, 24 * MiB, 8 * MiB);
  });

  it('terminates an S3 upload', async () => {
    const url = await tusUploadUntil(
      randomBytes(12 * MiB),
      6 * MiB,
      tusOptions(apiA, key, { chunkSize: 6 * MiB }),
    );
    const id = uploadId(url);
    const stored = await s3
      .client()
      .send(new ListObjectsV2Command({ Bucket: 'depot-tus', Prefix: `uploads/${id}` }));
    expect(stored.KeyCount).toBeGreaterThan(0);
    const deleted = await apiB.fetch(`/v1/uploads/${id}`, {
      method: 'DELETE',
      headers: { ...TUS, ...bearer(key) },
    });
    expect(deleted.status).toBe(204);
    expect((await apiA.fetch(`/v1/files/${id}`, { headers: bearer(key) })).status).toBe(404);
    const left = await s3
      .client()
      .send(new ListObjectsV2Command({ Bucket: 'depot-tus', Prefix: `uploads/${id}` }));
    expect(left.KeyCount).toBe(0);
  });
});
