import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerUnreadBodyDrain } from '../../../libs/runtime/src/http-server.options';

interface Exchange {
  statuses: number[];
  /** The `Connection` header of each answer, lowercased ('' when absent). */
  connection: string[];
  /** Whether the server closed the connection (rather than the client giving up). */
  closedByServer: boolean;
  /** Body bytes the client managed to write. */
  sent: number;
}

/**
 * Opens a raw keep-alive connection, writes `head`, then `chunk` as fast as the socket
 * takes it (`endless`) or every `paceMs`, and after the first answer asks `GET /next` on
 * the same connection when `next`. Ends when the server closes, or after `waitMs`.
 */
function exchange(
  port: number,
  head: string,
  options: { chunk?: Buffer; paceMs?: number; next?: boolean; waitMs?: number } = {},
): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let sent = 0;
    let askedNext = false;
    let pacing: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean): void => {
      clearInterval(pacing);
      clearTimeout(giveUp);
      socket.destroy();
      const answers = received.split(/(?=HTTP\/1\.1 \d{3} )/).filter((part) => part.startsWith('HTTP/1.1'));
      resolve({
        statuses: answers.map((answer) => Number(answer.slice(9, 12))),
        connection: answers.map(
          (answer) => /\r\nconnection: ([^\r]*)/i.exec(answer)?.[1]?.toLowerCase() ?? '',
        ),
        closedByServer,
        sent,
      });
    };
    const giveUp = setTimeout(() => finish(false), options.waitMs ?? 3000);
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      if (options.next && !askedNext && received.endsWith('}')) {
        askedNext = true;
        socket.write('GET /next HTTP/1.1\r\nHost: x\r\n\r\n');
      }
      if (askedNext && /HTTP\/1\.1 200 [\s\S]*\}$/.test(received)) finish(false);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
    socket.write(head);
    const chunk = options.chunk;
    if (!chunk) return;
    const send = (): boolean => {
      if (socket.destroyed) return false;
      sent += chunk.length;
      return socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString('latin1')}\r\n`, 'latin1');
    };
    if (options.paceMs !== undefined) {
      pacing = setInterval(send, options.paceMs);
    } else {
      const flood = (): void => {
        while (send());
        if (!socket.destroyed) socket.once('drain', flood);
      };
      flood();
    }
  });
}

const CHUNKED_POST = (path: string): string =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n`;

describe('unread body drain', () => {
  let fastify: FastifyInstance;
  let port: number;
  let closing: boolean;

  beforeEach(async () => {
    closing = false;
    fastify = Fastify({ bodyLimit: 1024 });
    registerUnreadBodyDrain(fastify, () => closing, { maxBytes: 256 * 1024, maxMs: 500 });
    // What the graceful shutdown does to every answer once it has begun.
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      if (closing) void reply.header('connection', 'close');
      done(null, payload);
    });
    // An early answer: refused before anything reads the body, as an upload over its limit is.
    fastify.post(
      '/early',
      {
        // Answered in the hook, so `done` is never called: the handler does not run.
        onRequest: (_request, reply) => {
          void reply.code(413).send({ early: true });
        },
      },
      () => ({}),
    );
    fastify.post('/json', (request) => request.body as object);
    fastify.get('/next', () => ({ next: true }));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    port = (fastify.server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    fastify.server.closeAllConnections();
    await fastify.close();
  });

  it('drains the rest of a JSON body over the limit: no Connection: close, and the next request is answered', async () => {
    const body = 'x'.repeat(100_000);
    for (const framing of [
      `Content-Length: ${body.length}\r\n\r\n${body}`,
      `Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    ]) {
      const result = await exchange(
        port,
        `POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${framing}`,
        { next: true },
      );
      expect(result).toMatchObject({ statuses: [413, 200], closedByServer: false });
      expect(result.connection[0]).not.toBe('close');
    }
  });

  it('keeps the Connection: close of a server shutting down', async () => {
    closing = true;
    const result = await exchange(
      port,
      `POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(100_000)}`,
      { next: true },
    );
    expect(result).toMatchObject({ statuses: [413], connection: ['close'], closedByServer: true });
  });

  it('cuts a connection whose body goes on past the byte bound, after the answer', async () => {
    const result = await exchange(port, CHUNKED_POST('/early'), { chunk: Buffer.alloc(16 * 1024, 1) });
    expect(result.statuses).toEqual([413]);
    expect(result.closedByServer).toBe(true);
    // Cut near the bound (socket buffers hold some more), not after the 3 s the client would go on.
    expect(result.sent).toBeGreaterThan(256 * 1024);
    expect(result.sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('cuts a connection whose body trickles on past the time bound, after the answer', async () => {
    const result = await exchange(port, CHUNKED_POST('/early'), {
      chunk: Buffer.alloc(100, 1),
      paceMs: 20,
      waitMs: 3000,
    });
    expect(result.statuses).toEqual([413]);
    expect(result.closedByServer).toBe(true);
    // Well under the byte bound: the time bound cut it.
    expect(result.sent).toBeLessThan(256 * 1024);
  });

  it('drains a modest rest after an early answer and serves the next request', async () => {
    const result = await exchange(
      port,
      CHUNKED_POST('/early') + `${(64 * 1024).toString(16)}\r\n${'y'.repeat(64 * 1024)}\r\n0\r\n\r\n`,
      { next: true },
    );
    expect(result).toMatchObject({ statuses: [413, 200], closedByServer: false });
  });
});
