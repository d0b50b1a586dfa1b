import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { AppProcess } from '../../support/app-process';
import { bearer, createTenant, type FileJson, type Problem, upload } from '../../support/depot-api';
import { testEnv } from '../../support/test-env';
import { waitFor } from '../../support/wait';

// Starts real processes and waits on the worker: far beyond Jest's 5 s default.
jest.setTimeout(60_000);

const LIMIT = 64 * 1024;

/** Every file under a folder, recursively (the disk's own staging folder included). */
function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The status of each response read from a raw connection so far. */
function statusesIn(received: string): number[] {
  return [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));
}

/**
 * Sends a multipart upload of `size` bytes on a raw keep-alive connection, then a second
 * request on the same connection, and returns the status of each answer that came back
 * (one, if the connection closed or hung after the first).
 */
async function uploadThenReuse(port: number, key: string, size: number): Promise<number[]> {
  const boundary = 'depot-reuse-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const body = Buffer.concat([Buffer.from(head), randomBytes(size), Buffer.from(tail)]);
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined); // seen as a missing answer
  socket.on('close', () => (closed = true));
  socket.write(
    `POST /v1/files HTTP/1.1\r\nHost: depot\r\nAuthorization: Bearer ${key}\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  socket.write(body);
  await waitFor('the answer to the upload', 10_000, async () => closed || /\}$/.test(received));
  if (!closed) socket.write('GET /health/live HTTP/1.1\r\nHost: depot\r\n\r\n');
  await waitFor('an answer on the same connection', 10_000, async () => statusesIn(received).length === 2);
  socket.destroy();
  return statusesIn(received);
}

/** An api with a small `files.maxSizeBytes`: refusals while streaming leave nothing behind. */
describe('upload size limit', () => {
  let api: AppProcess;
  let key: string;
  let tenantId: string;
  const root = testEnv().storageRoot;

  beforeAll(async () => {
    api = await AppProcess.startReady('api', { DEPOT__FILES__MAX_SIZE_BYTES: String(LIMIT) });
    const tenant = await createTenant(api, 'Limits LLC');
    key = tenant.apiKey.key;
    tenantId = tenant.tenantId;
  });

  afterAll(async () => {
    await api?.stop();
  });

  async function expectNothingLeft(): Promise<void> {
    const listed = (await (await api.fetch('/v1/files', { headers: bearer(key) })).json()) as {
      items: FileJson[];
    };
    const leftovers = filesUnder(join(root, 'tenants', tenantId)).filter(
      (path) => !listed.items.some((file) => path.endsWith(file.id)),
    );
    expect(leftovers).toEqual([]);
    expect(filesUnder(join(root, '.depot', 'tmp'))).toEqual([]);
  }

  it('accepts a file of exactly the limit', async () => {
    const response = await upload(api, key, randomBytes(LIMIT));
    expect(response.status).toBe(201);
    expect(((await response.json()) as FileJson).size).toBe(LIMIT);
  });

  it('answers 413 one byte over the limit, found while streaming, and keeps no row or bytes', async () => {
    const response = await upload(api, key, randomBytes(LIMIT + 1));
    expect(response.status).toBe(413);
    const problem = (await response.json()) as Problem;
    expect(problem).toMatchObject({ type: 'urn:depot:problem:file-too-large', status: 413 });
    expect(problem.detail).toContain(String(LIMIT));
    const listed = (await (await api.fetch('/v1/files', { headers: bearer(key) })).json()) as {
      items: FileJson[];
    };
    expect(listed.items).toHaveLength(1);
    await expectNothingLeft();
  });

  it('answers 413 to a chunked upload of unknown length, before reading all of it', async () => {
    const boundary = 'depot-test-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    let sent = 0;
    const total = 50 * 1024 * 1024;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(head));
      },
      // Paced (a timer turn per 256 KiB), as a client on a real network is: the api drains a
      // body's rest after its early answer, so an unpaced loopback client could finish
      // sending before the answer reached it, and `sent` would not tell when it was given.
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (sent >= total) {
          controller.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
          controller.close();
          return;
        }
        const chunk = randomBytes(256 * 1024);
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await api.fetch('/v1/files', {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(total);
    await expectNothingLeft();
  });

  it('keeps the connection serving after a 413 sent before the body was read to its end', async () => {
    const port = Number(new URL(api.url).port);
    for (const over of [16 * 1024, 4 * 1024 * 1024]) {
      expect({ over, statuses: await uploadThenReuse(port, key, LIMIT + over) }).toEqual({
        over,
        statuses: [413, 200],
      });
    }
    await expectNothingLeft();
  });

  it('answers 413 at once to a declared Content-Length far over the limit', async () => {
    const response = await upload(api, key, randomBytes(LIMIT + 2 * 1024 * 1024));
    expect(response.status).toBe(413);
    await expectNothingLeft();
  });
});
