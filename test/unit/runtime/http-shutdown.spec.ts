import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { HttpShutdown } from '../../../libs/runtime/src/http-shutdown';

const logger = pino({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A server whose POST /upload reads its body to the end, and on a cut body cleans up for
 * `cleanupMs`; `receiving` resolves once an upload's handler runs.
 */
async function server(
  cleanupMs: number,
  events: string[],
): Promise<{ fastify: FastifyInstance; port: number; shutdown: HttpShutdown; receiving: Promise<void> }> {
  const fastify = Fastify();
  const shutdown = new HttpShutdown(fastify, fastify.server, logger);
  let received = (): void => undefined;
  const receiving = new Promise<void>((resolve) => (received = resolve));
  fastify.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  fastify.get('/hello', async () => ({ hello: 'world' }));
  fastify.post('/upload', async (request) => {
    received();
    try {
      for await (const _chunk of request.body as AsyncIterable<Buffer>) void _chunk;
      return { stored: true };
    } catch (error) {
      await sleep(cleanupMs);
      events.push('cleaned up');
      throw error;
    }
  });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const address = fastify.server.address();
  return { fastify, port: typeof address === 'object' && address ? address.port : 0, shutdown, receiving };
}

describe('HTTP shutdown', () => {
  it('answers with Connection: close once shutdown has begun, so keep-alive clients let go', async () => {
    const { fastify, port, shutdown } = await server(0, []);
    try {
      const before = await fetch(`http://127.0.0.1:${port}/hello`);
      expect(before.headers.get('connection')).toBe('keep-alive');
      shutdown.begin(1000);
      const after = await fetch(`http://127.0.0.1:${port}/hello`);
      expect(after.headers.get('connection')).toBe('close');
    } finally {
      await fastify.close();
    }
  });

  it("cuts a request still in flight after the grace period, and closing waits for its handler's cleanup", async () => {
    const events: string[] = [];
    const { fastify, port, shutdown, receiving } = await server(50, events);
    const client = httpRequest({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/upload',
      headers: { 'content-type': 'application/octet-stream' },
    });
    const cut = new Promise<string>((resolve) =>
      client.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? '')),
    );
    client.write(Buffer.alloc(64 * 1024)); // and never ends the body
    await receiving;

    shutdown.begin(400);
    await fastify.close();
    events.push('closed');
    expect(await cut).toBe('ECONNRESET');
    expect(events).toEqual(['cleaned up', 'closed']);
  });

  it('waits for the handler of a request whose client went away, and no longer than that', async () => {
    const events: string[] = [];
    const { fastify, port, shutdown, receiving } = await server(50, events);
    const client = httpRequest({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/upload',
      headers: { 'content-type': 'application/octet-stream' },
    });
    client.on('error', () => undefined);
    client.write(Buffer.alloc(64 * 1024));
    await receiving;

    // A grace far beyond the test's timeout: close must end when the handler has answered.
    shutdown.begin(60_000);
    client.destroy();
    await fastify.close();
    events.push('closed');
    expect(events).toEqual(['cleaned up', 'closed']);
  });

  it('closes a connection whose request has not reached a handler by the end of the grace period', async () => {
    const { fastify, port, shutdown } = await server(0, []);
    const socket = connect(port, '127.0.0.1');
    const gone = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /upload HTTP/1.1\r\nHost: depot\r\n'); // and never ends its headers

    shutdown.begin(200);
    const started = Date.now();
    await fastify.close();
    await gone;
    // Node's own headers timeout is a minute: closing ended at the grace period.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('does not wait for anything when nothing is in flight', async () => {
    const { fastify, port, shutdown } = await server(0, []);
    await fetch(`http://127.0.0.1:${port}/hello`);
    shutdown.begin(60_000);
    const started = Date.now();
    await fastify.close();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
