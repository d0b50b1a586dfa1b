import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { AppProcess } from '../../support/app-process';
import {
  ADMIN_KEY,
  bearer,
  createTenant,
  type FileJson,
  upload,
  waitForStatus,
} from '../../support/depot-api';

// Starts a real api and sends it a few hundred requests.
jest.setTimeout(90_000);

type Operation = { method: string; path: string };
interface Attempt {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}
interface Outcome {
  request: string;
  status: number;
  contentType: string | null;
}

/** Deterministic, so a failure can be replayed: mulberry32. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_SEGMENTS = [
  '',
  '%20',
  '..',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%00',
  'null',
  '-1',
  '0',
  "'%20OR%201=1--",
  '%F0%9F%98%80',
  '%C0%AF',
  'x'.repeat(300),
  '00000000-0000-0000-0000-000000000000',
  'C56A4180-65AA-42EC-A945-5FD21DEC0538',
  'c56a4180-65aa-42ec-a945-5fd21dec05381',
  '%ZZ',
  '{id}',
];

const JSON_BODIES = [
  '{',
  '[]',
  'null',
  '"text"',
  '0',
  '{"name": {"$gt": ""}}',
  '{"name": "' + 'n'.repeat(5000) + '"}',
  '{"name": null, "scopes": "files:read"}',
  '{"scopes": ["files:read", "files:read", "root"]}',
  '{"url": "http://169.254.169.254/latest/meta-data", "events": ["file.ready"]}',
  '{"url": 42, "events": [{}]}',
  '{"expiresInSeconds": -1}',
  '{"expiresInSeconds": 1e308}',
  '{"expiresInSeconds": "60"}',
  '{"__proto__": {"admin": true}, "name": "x"}',
  '{"constructor": {"prototype": {"x": 1}}}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  '\u0000\u0001\u0002',
];

const QUERIES = [
  '?limit=-1',
  '?limit=1e999',
  '?limit=0x10',
  '?limit=1&limit=2',
  '?cursor=%00',
  '?cursor=' + 'c'.repeat(5000),
  '?status=deleted',
  '?status[]=ready',
  '?status[$ne]=x',
  '?task=%27',
  '?%E0%A4%A=1',
];

const AUTH_HEADERS: Array<Record<string, string>> = [
  {},
  { authorization: 'Bearer' },
  { authorization: 'Bearer x y' },
  { authorization: `Bearer ${'k'.repeat(2000)}` },
  { authorization: 'Basic dXNlcjpwYXNz' },
  { authorization: 'Bearer dpk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
];

const MULTIPART_BODIES: Array<{ contentType: string; body: string | Uint8Array }> = [
  { contentType: 'multipart/form-data', body: 'no boundary' },
  {
    contentType: 'multipart/form-data; boundary=x',
    body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\ntrunc',
  },
  { contentType: 'multipart/form-data; boundary=x', body: '--x\r\nno headers at all\r\n--x--' },
  {
    contentType: 'multipart/form-data; boundary=x',
    body: '--x\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\nv\r\n--x--\r\n',
  },
  {
    contentType: 'multipart/form-data; boundary=x',
    body: '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nnot a file part\r\n--x--\r\n',
  },
  { contentType: 'multipart/form-data; boundary=x', body: randomBytes(4096) },
  { contentType: 'multipart/form-data; boundary=' + 'b'.repeat(200), body: '--' },
  { contentType: 'multipart/mixed; boundary=x', body: '--x--' },
];

const OTHER_BODIES: Array<{ contentType: string; body: string | Uint8Array }> = [
  { contentType: 'text/plain', body: 'hello' },
  { contentType: 'application/xml', body: '<a/>' },
  { contentType: 'application/x-www-form-urlencoded', body: 'name=x&name=y' },
  { contentType: 'application/json; charset=utf-16', body: '{}' },
  { contentType: 'application/json', body: '' },
  { contentType: 'application/json', body: 'x'.repeat(2 * 1024 * 1024) },
  { contentType: 'image/png', body: randomBytes(1000) },
];

const RANGE_HEADERS = [
  'bytes=abc',
  'bytes=99999999999999999999-',
  'bytes=-',
  'bytes=5-1',
  'bytes=0-0,1-1,2-2',
  'lines=1-2',
];
const CONDITIONAL_HEADERS = ['"', 'W/', '*, "x"', '"' + 'e'.repeat(5000) + '"'];

/**
 * A bounded fuzz of malformed requests against every route the api documents (read from
 * the document it serves, so a new route is covered the day it is added): hostile path
 * segments, junk and oversized bodies, wrong content types, broken multipart, odd query
 * strings, bad credentials and headers. Not one may get a 5xx, and every error must be
 * problem+json.
 */
describe('malformed requests', () => {
  let api: AppProcess;
  let operations: Operation[];
  let tenantKey: string;
  let readyFileId: string;

  beforeAll(async () => {
    // The worker only makes the one ready file below: it boots beside the api, not after
    // it, and both are waited for (settled) so that neither is left running if one fails.
    let worker: AppProcess | undefined;
    const boots = await Promise.allSettled([
      AppProcess.startReady('api').then((started) => (api = started)),
      AppProcess.startReady('worker').then((started) => (worker = started)),
    ]);
    try {
      for (const boot of boots) if (boot.status === 'rejected') throw boot.reason;
      const document = (await (await api.fetch('/docs/openapi.json')).json()) as {
        paths: Record<string, object>;
      };
      operations = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
      );
      tenantKey = (await createTenant(api, 'Fuzz Co')).apiKey.key;
      // A real file, so that some requests get past "no such file" into the deeper checks.
      readyFileId = ((await (await upload(api, tenantKey, randomBytes(2000))).json()) as FileJson).id;
      await waitForStatus(api, tenantKey, readyFileId);
    } finally {
      await worker?.stop();
    }
  });

  afterAll(async () => {
    await api?.stop();
  });

  function attempts(): Attempt[] {
    const pick = random(20261128);
    const choose = <T>(items: readonly T[]): T => items[Math.floor(pick() * items.length)]!;
    const list: Attempt[] = [];
    for (const { method, path } of operations) {
      const credentials = (): Record<string, string> =>
        bearer(
          path.startsWith('/v1/tenants') || path.includes('/admin') || path.startsWith('/v1/api-keys')
            ? ADMIN_KEY
            : tenantKey,
        );
      const fill = (segment: string): string =>
        path.replace(/\{[^}]+\}/g, () =>
          segment === '{id}' ? (method === 'DELETE' ? 'x' : readyFileId) : segment,
        );
      const hasParams = path.includes('{');
      for (const segment of hasParams ? HOSTILE_SEGMENTS : ['']) {
        list.push({ method, path: fill(segment), headers: credentials() });
      }
      for (const auth of AUTH_HEADERS)
        list.push({ method, path: fill(choose(HOSTILE_SEGMENTS)), headers: auth });
      for (const query of QUERIES)
        list.push({ method, path: `${fill('{id}')}${query}`, headers: credentials() });
      if (method === 'POST' || method === 'DELETE') {
        for (const body of JSON_BODIES) {
          list.push({
            method,
            path: fill('{id}'),
            headers: { ...credentials(), 'content-type': 'application/json' },
            body,
          });
        }
        for (const { contentType, body } of [...MULTIPART_BODIES, ...OTHER_BODIES]) {
          list.push({
            method,
            path: fill('{id}'),
            headers: { ...credentials(), 'content-type': contentType },
            body,
          });
        }
        list.push({
          method,
          path: fill('{id}'),
          headers: { ...credentials(), 'idempotency-key': choose(['', ' ', 'k'.repeat(300), 'a\u00e9']) },
          body: '{}',
        });
      }
      if (method === 'GET') {
        for (const range of RANGE_HEADERS)
          list.push({ method, path: fill('{id}'), headers: { ...credentials(), range } });
        for (const tag of CONDITIONAL_HEADERS) {
          list.push({
            method,
            path: fill('{id}'),
            headers: { ...credentials(), 'if-none-match': tag, 'if-range': tag },
          });
        }
      }
    }
    // Routes that do not exist, and methods routes do not take.
    for (const path of [
      '/v1',
      '/v1/',
      '/v1/files/x/y/z',
      '/v1/nope',
      '/%',
      '/v1/files/%E0%A4%A',
      '//v1//files',
    ]) {
      list.push({
        method: choose(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
        path,
        headers: bearer(tenantKey),
      });
    }
    for (const { path } of operations.slice(0, 10))
      list.push({ method: 'PATCH', path, headers: bearer(tenantKey) });
    return list;
  }

  async function send(attempt: Attempt): Promise<Outcome> {
    const response = await api.fetch(attempt.path, {
      method: attempt.method,
      headers: attempt.headers,
      body: attempt.method === 'GET' || attempt.method === 'HEAD' ? undefined : attempt.body,
      redirect: 'manual',
    });
    await response.arrayBuffer();
    return {
      request: `${attempt.method} ${attempt.path.slice(0, 120)} ${JSON.stringify(attempt.headers).slice(0, 120)} ${String(attempt.body ?? '').slice(0, 60)}`,
      status: response.status,
      contentType: response.headers.get('content-type'),
    };
  }

  it('never answers 5xx, and answers every error with problem+json', async () => {
    const queue = attempts();
    expect(queue.length).toBeGreaterThan(300);
    const outcomes: Outcome[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let attempt = queue.shift(); attempt; attempt = queue.shift())
          outcomes.push(await send(attempt));
      }),
    );
    const serverErrors = outcomes.filter((outcome) => outcome.status >= 500);
    expect(serverErrors).toEqual([]);
    const notProblems = outcomes.filter(
      (outcome) => outcome.status >= 400 && !outcome.contentType?.startsWith('application/problem+json'),
    );
    expect(notProblems).toEqual([]);
    // The api is still well after all of it.
    expect((await api.fetch('/health/ready')).status).toBe(200);
  });

  it('survives what only a raw socket can send', async () => {
    const port = Number(new URL(api.url).port);
    const raw = (payload: string | Buffer): Promise<string> =>
      new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
        socket.on('close', () => resolve(answer));
        socket.on('error', () => resolve(answer));
        socket.setTimeout(3000, () => socket.destroy());
        socket.end(payload);
      });
    const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
    const statusesOf = (answer: string): number[] =>
      [...answer.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));
    /** Sends without closing its side, as a keep-alive client does, until `answers` came back or 5 s passed. */
    const rawKeptOpen = (payload: string, answers: number): Promise<string> =>
      new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let answer = '';
        const done = (): void => {
          socket.destroy();
          resolve(answer);
        };
        socket.on('data', (chunk) => {
          answer += chunk.toString('latin1');
          if (statusesOf(answer).length >= answers && answer.endsWith('}')) done();
        });
        socket.on('close', done);
        socket.on('error', done);
        socket.setTimeout(5000, done);
        socket.write(payload);
      });
    const answers = await Promise.all([
      raw(`GET /v1/files HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(20_000)}\r\n\r\n`),
      raw('NONSENSE\r\n\r\n'),
      raw('GET /v1/files HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'),
      raw(
        'POST /v1/tenants HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n',
      ),
      raw(
        `POST /v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tenantKey}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000\r\n\r\n--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nonly part of it`,
      ),
      raw(
        `GET /v1/files HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`,
      ),
    ]);
    // A JSON body over the limit, sent whole with the next request right behind it on the same
    // connection: the 413 comes while the body is still arriving, the rest is drained rather
    // than reset (a reset could lose the answer), and the next request is answered.
    const body = 'x'.repeat(2 * 1024 * 1024);
    for (const framing of [
      `Content-Length: ${body.length}\r\n\r\n${body}`,
      `Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    ]) {
      const pipelined = await rawKeptOpen(
        `POST /v1/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_KEY}\r\n` +
          `Content-Type: application/json\r\n${framing}` +
          'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n',
        2,
      );
      expect({ framing: framing.slice(0, 30), statuses: statusesOf(pipelined) }).toEqual({
        framing: framing.slice(0, 30),
        statuses: [413, 200],
      });
      expect(pipelined.toLowerCase()).toContain('content-type: application/problem+json');
      expect(pipelined.toLowerCase()).not.toContain('connection: close');
    }
    for (const answer of answers) {
      const status = statusOf(answer);
      // No answer at all is fine for a connection cut short; a 5xx never is.
      if (status !== 0) expect(status).toBeLessThan(500);
    }
    expect((await api.fetch('/health/ready')).status).toBe(200);
  });
});
