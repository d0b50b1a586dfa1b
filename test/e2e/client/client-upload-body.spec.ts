import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CLIENT_ENTRY, loadClient } from '../../support/depot-client';

type ClientModule = Awaited<ReturnType<typeof loadClient>>;

const MiB = 1024 * 1024;

/** Writes `size` random bytes to `path` a MiB at a time, never holding more than one. */
function writeRandomFile(path: string, size: number): void {
  const block = randomBytes(MiB);
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < size; written += MiB) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
}

/**
 * Uploads `path` with the built client in a Node process of its own and answers the most
 * ArrayBuffer memory that process held while it did (sampled every 5 ms and at each
 * progress event): the test process's own memory, under a whole suite, cannot tell a held
 * body from garbage the collector has not swept yet.
 */
async function peakArrayBuffersOfUpload(entry: string, baseUrl: string, path: string): Promise<number> {
  const script = `
    const [entry, baseUrl, path] = process.argv.slice(1);
    const { Depot } = await import(entry);
    let peak = 0;
    const sample = () => { peak = Math.max(peak, process.memoryUsage().arrayBuffers); };
    const timer = setInterval(sample, 5);
    await new Depot({ baseUrl, apiKey: 'dpk_test' }).files.upload(path, { resumable: false, onProgress: sample });
    sample();
    clearInterval(timer);
    process.stdout.write(String(peak));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, entry, baseUrl, path], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0 || !/^\d+$/.test(stdout)) throw new Error(`the upload process failed (${code}): ${stderr}`);
  return Number(stdout);
}

/** A server on a free loopback port that answers every request with `handle`. */
async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<Server> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const urlOf = (server: Server): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/**
 * How the built client sends a multipart upload on Node, against a plain receiver in this
 * process (no api: what is checked is the request, not what the api makes of it).
 */
describe('@depot/client multipart request body on Node', () => {
  let client: ClientModule;
  let folder: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    client = await loadClient();
    folder = mkdtempSync(join(tmpdir(), 'depot-client-body-'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(folder, { recursive: true, force: true });
  });

  it('streams a large file from its path, its length declared up front', async () => {
    const size = 256 * MiB;
    const path = join(folder, 'large.bin');
    writeRandomFile(path, size);
    let received = 0;
    let headers: IncomingHttpHeaders = {};
    const receiver = await serve((request, response) => {
      headers = request.headers;
      request.on('data', (chunk: Buffer) => (received += chunk.length));
      request.on('end', () => {
        response.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"received"}');
      });
    });
    servers.push(receiver);

    const depot = new client.Depot({ baseUrl: urlOf(receiver), apiKey: 'dpk_test' });
    let sent = 0;
    const file = await depot.files.upload(path, {
      resumable: false,
      onProgress: ({ bytes }) => (sent = bytes),
    });

    expect(file).toEqual({ id: 'received' });
    expect(sent).toBe(size);
    expect(received).toBeGreaterThan(size);
    expect(headers['content-length']).toBe(String(received));
    expect(headers['transfer-encoding']).toBeUndefined();
  });

  it('holds a small part of a streamed upload in memory, not the whole file', async () => {
    const size = 256 * MiB;
    const path = join(folder, 'held.bin');
    writeRandomFile(path, size);
    let received = 0;
    const receiver = await serve((request, response) => {
      request.on('data', (chunk: Buffer) => (received += chunk.length));
      // Answer a little after the body has arrived: a client that kept a copy of the body
      // until the answer (fetch's tee of a request it could redirect) holds it all then.
      request.on('end', () => {
        setTimeout(() => {
          response.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"received"}');
        }, 200);
      });
    });
    servers.push(receiver);

    const peak = await peakArrayBuffersOfUpload(CLIENT_ENTRY, urlOf(receiver), path);

    expect(received).toBeGreaterThan(size);
    // About 37 MiB on a quiet machine; the client that kept the body held more than the file.
    expect(peak).toBeLessThan(size / 2);
  });

  it('declares the length of bytes, and sends a stream of unknown length chunked', async () => {
    const seen: Array<{ headers: IncomingHttpHeaders; length: number }> = [];
    const receiver = await serve((request, response) => {
      let length = 0;
      request.on('data', (chunk: Buffer) => (length += chunk.length));
      request.on('end', () => {
        seen.push({ headers: request.headers, length });
        response.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"received"}');
      });
    });
    servers.push(receiver);
    const depot = new client.Depot({ baseUrl: urlOf(receiver), apiKey: 'dpk_test' });
    const content = randomBytes(300_000);

    await depot.files.upload(content, {
      resumable: false,
      name: 'bytes.bin',
      expiresAt: '2099-01-01T00:00:00Z',
    });
    await depot.files.upload(Readable.from([content]), { resumable: false });

    expect(seen[0]!.headers['content-length']).toBe(String(seen[0]!.length));
    expect(seen[0]!.length).toBeGreaterThan(content.length);
    expect(seen[1]!.headers['content-length']).toBeUndefined();
    expect(seen[1]!.headers['transfer-encoding']).toBe('chunked');
    expect(seen[1]!.length).toBeGreaterThan(content.length);
  });

  it('fails an upload whose file shrinks while it is sent, rather than store part of it', async () => {
    const path = join(folder, 'shrinking.bin');
    writeFileSync(path, randomBytes(16 * MiB));
    let ended = false;
    const receiver = await serve((request, response) => {
      request.on('error', () => undefined);
      request.resume();
      request.on('end', () => {
        ended = true;
        response.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"received"}');
      });
    });
    servers.push(receiver);
    const depot = new client.Depot({ baseUrl: urlOf(receiver), apiKey: 'dpk_test' });

    // Cut to half once the first chunk is out: the reads still ahead then end early.
    let cut = false;
    const upload = depot.files.upload(path, {
      resumable: false,
      onProgress: ({ bytes }) => {
        if (bytes > 0 && !cut) {
          cut = true;
          truncateSync(path, 8 * MiB);
        }
      },
    });

    await expect(upload).rejects.toThrow();
    expect(cut).toBe(true);
    expect(ended).toBe(false);
  });

  it('refuses a redirect of a streamed upload instead of following it without the body', async () => {
    const requests: string[] = [];
    const receiver = await serve((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      request.resume();
      request.on('end', () => {
        if (request.method === 'POST') response.writeHead(303, { location: '/elsewhere' }).end();
        else response.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"elsewhere"}');
      });
    });
    servers.push(receiver);

    const depot = new client.Depot({ baseUrl: urlOf(receiver), apiKey: 'dpk_test' });
    await expect(depot.files.upload(Buffer.from('bytes'), { resumable: false })).rejects.toThrow();
    expect(requests).toEqual(['POST /v1/files']);
  });
});
