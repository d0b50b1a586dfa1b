import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadClient } from '../../support/depot-client';

type ClientModule = Awaited<ReturnType<typeof loadClient>>;

const MiB = 1024 * 1024;

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

  it('streams a large file from its path without holding it in memory', async () => {
    const size = 256 * MiB;
    const path = join(folder, 'large.bin');
    const block = randomBytes(MiB);
    const fd = openSync(path, 'w');
    try {
      for (let written = 0; written < size; written += MiB) writeSync(fd, block);
    } finally {
      closeSync(fd);
    }
    // The receiver notes, as the bytes arrive, how much memory this process holds in
    // ArrayBuffers: a client that kept what it had sent would reach the file's size.
    let received = 0;
    let peak = 0;
    const receiver = await serve((request, response) => {
      request.on('data', (chunk: Buffer) => {
        received += chunk.length;
        peak = Math.max(peak, process.memoryUsage().arrayBuffers);
      });
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
    expect(peak).toBeLessThan(size / 2);
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
