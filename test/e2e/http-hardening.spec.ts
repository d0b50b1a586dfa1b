import { connect } from 'node:net';
import { AppProcess } from '../support/app-process';
import { ADMIN_KEY, bearer, createTenant } from '../support/depot-api';
import { testEnv } from '../support/test-env';

/** Sends raw bytes to the api and resolves with the whole answer, as text. */
function rawRequest(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** The api's edges: limits, security headers, CORS and per-key rate limits shared through Redis. */
describe('api hardening', () => {
  let api: AppProcess;
  // Rate-limit counters of their own: other test files' failed attempts from 127.0.0.1 in the
  // same window would otherwise draw on the small budgets asserted here.
  const ownCounters = { QUEUE_PREFIX: `${testEnv().queuePrefix}-hardening` };

  // The replica of the last test, as the api ships but for the counters: it boots beside the
  // first rather than in that test, and takes no request before it.
  let second: AppProcess | undefined;

  beforeAll(async () => {
    // Settled, so that neither is left running if the other fails.
    const boots = await Promise.allSettled([
      AppProcess.startReady('api', {
        ...ownCounters,
        DEPOT__API__RATE_LIMIT__GROUPS__DEFAULT: '3',
        DEPOT__API__RATE_LIMIT__GROUPS__UPLOADS: '2',
        DEPOT__API__RATE_LIMIT__GROUPS__FAILED_AUTH: '3',
        DEPOT__API__RATE_LIMIT__WINDOW_SECONDS: '60',
        DEPOT__API__CORS__ORIGINS: 'https://app.example.com',
        // Each case below speaks as a client address of its own, through X-Forwarded-For.
        DEPOT__API__TRUST_PROXY: 'true',
      }).then((started) => (api = started)),
      AppProcess.startReady('api', {
        ...ownCounters,
        DEPOT__API__RATE_LIMIT__GROUPS__FAILED_AUTH: '3',
      }).then((started) => (second = started)),
    ]);
    for (const boot of boots) if (boot.status === 'rejected') throw boot.reason;
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), second?.stop()]);
  });

  it('answers what Node refuses to parse with a problem+json 400 or 431, never a dropped socket', async () => {
    const garbage = await rawRequest(api.url, 'GARBAGE\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(garbage).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400 });

    const huge = await rawRequest(
      api.url,
      `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431 });
  });

  it('sends security headers', async () => {
    const response = await api.fetch('/health/live');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    // A problem answer carries the same set: a refused key, an unknown route.
    const security = (headers: Headers): Record<string, string | null> =>
      Object.fromEntries(
        [
          'content-security-policy',
          'strict-transport-security',
          'x-content-type-options',
          'x-frame-options',
          'cross-origin-resource-policy',
          'referrer-policy',
        ].map((name) => [name, headers.get(name)]),
      );
    // From an address of their own: the failed-auth budget of 127.0.0.1 is asserted below.
    const from = { 'x-forwarded-for': '192.0.2.77' };
    const refused = await api.fetch('/v1/files', { headers: { ...from, authorization: 'Bearer dpk_nope' } });
    const unknown = await api.fetch('/v1/nothing-here', { headers: from });
    expect([refused.status, unknown.status]).toEqual([401, 404]);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(security(refused.headers)).toEqual(security(response.headers));
    expect(security(unknown.headers)).toEqual(security(response.headers));
  });

  it('answers CORS preflights for configured origins only', async () => {
    const preflight = (origin: string) =>
      api.fetch('/v1/files', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await preflight('https://evil.example.net');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  /** A client address of its own for each case, so budgets do not leak between cases. */
  let clients = 0;
  const client = (): Record<string, string> => ({ 'x-forwarded-for': `203.0.113.${(clients += 1)}` });

  it('limits each key per window with a problem+json 429 and Retry-After; health is never limited', async () => {
    const { apiKey } = await createTenant(api, 'limited');
    const from = client();
    const call = () => api.fetch('/v1/files', { headers: { ...from, ...bearer(apiKey.key) } });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await call()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    for (let i = 0; i < 5; i += 1)
      expect((await api.fetch('/health/live', { headers: from })).status).toBe(200);
  });

  it('keys a caller by its key id, so respelling the Authorization header buys no fresh budget', async () => {
    const { apiKey } = await createTenant(api, 'respelled');
    const statuses = [];
    for (const header of [
      `Bearer ${apiKey.key}`,
      `bearer ${apiKey.key}`,
      `Bearer  ${apiKey.key}`,
      `BEARER ${apiKey.key} `,
    ]) {
      // A new client address each time too: a key's budget follows the key, wherever it calls from.
      statuses.push(
        (await api.fetch('/v1/files', { headers: { ...client(), authorization: header } })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('gives failed authentication one small budget per client address, however many keys are guessed', async () => {
    const from = client();
    const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
    const guesses: Array<[string, string]> = [
      ['/v1/files', 'Bearer dpk_000000000000_guessguessguessguessguessguessguessguess0'],
      ['/v1/admin/queues', 'Bearer not-the-admin-key'], // the admin key is guessed on the same budget
      ['/admin/queues', basic('not-the-admin-key')], // and so is the dashboard's Basic password
      ['/v1/files', 'Bearer dpk_111111111111_guessguessguessguessguessguessguessguess1'],
    ];
    const statuses = [];
    for (const [path, authorization] of guesses) {
      statuses.push((await api.fetch(path, { headers: { ...from, authorization } })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    // The address is not locked out of what needs no key, nor is a real key from it refused.
    const { apiKey } = await createTenant(api, 'after-guessing');
    expect((await api.fetch('/v1/files', { headers: { ...from, ...bearer(apiKey.key) } })).status).toBe(200);
    expect((await api.fetch('/v1/tenants', { headers: { ...from, ...bearer(ADMIN_KEY) } })).status).toBe(200);
  });

  it('groups by the route matched, so a percent-encoded path draws on the same upload budget', async () => {
    const { apiKey } = await createTenant(api, 'encoded');
    const post = (path: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'a.bin');
      return api.fetch(path, { method: 'POST', headers: { ...client(), ...bearer(apiKey.key) }, body: form });
    };
    const statuses = [(await post('/v1/files')).status, (await post('/v1/%66iles')).status];
    statuses.push((await post('/v1/%66iles')).status, (await post('/v1/files')).status);
    expect(statuses).toEqual([201, 201, 429, 429]);
    // Reads are on the default budget, which the uploads did not touch.
    expect((await api.fetch('/v1/files', { headers: { ...client(), ...bearer(apiKey.key) } })).status).toBe(
      200,
    );
  });

  it('shares the counters between replicas, and ignores X-Forwarded-For unless trustProxy is on', async () => {
    const replica = second!;
    try {
      const guess = (app: AppProcess, forwardedFor: string) =>
        app.fetch('/v1/files', {
          headers: { 'x-forwarded-for': forwardedFor, authorization: 'Bearer dpk_guess_three' },
        });
      // The second replica does not trust the header: every guess is from 127.0.0.1, whatever it says.
      // The first does, and is told 127.0.0.1: the same budget, counted in the same Redis.
      const statuses = [
        (await guess(replica, '198.51.100.1')).status,
        (await guess(api, '127.0.0.1')).status,
        (await guess(replica, '198.51.100.2')).status,
        (await guess(replica, '198.51.100.3')).status,
      ];
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await replica.stop();
    }
  });
});
