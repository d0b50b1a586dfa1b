import { connect } from 'node:net';
import { AppProcess } from '../support/app-process';

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

  beforeAll(async () => {
    api = await AppProcess.startReady('api', {
      DEPOT__API__RATE_LIMIT__GROUPS__DEFAULT: '3',
      DEPOT__API__RATE_LIMIT__WINDOW_SECONDS: '60',
      DEPOT__API__CORS__ORIGINS: 'https://app.example.com',
    });
  });

  afterAll(async () => {
    await api?.stop();
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

  it('limits each key per window with a problem+json 429 and Retry-After; health is never limited', async () => {
    const call = (key: string) => api.fetch('/v1/files', { headers: { authorization: `Bearer ${key}` } });
    // Unknown keys are 401s, but still count: brute force is limited too.
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await call('dpk_guess_one')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await call('dpk_guess_one');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });

    // Another key has its own budget; probes are not limited at all.
    expect((await call('dpk_guess_two')).status).toBe(401);
    for (let i = 0; i < 5; i += 1) expect((await api.fetch('/health/live')).status).toBe(200);
  });

  it('shares the counters between replicas through Redis', async () => {
    const second = await AppProcess.startReady('api', { DEPOT__API__RATE_LIMIT__GROUPS__DEFAULT: '3' });
    try {
      const call = (app: AppProcess) =>
        app.fetch('/v1/files', { headers: { authorization: 'Bearer dpk_guess_three' } });
      const statuses = [
        (await call(api)).status,
        (await call(second)).status,
        (await call(api)).status,
        (await call(second)).status,
      ];
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await second.stop();
    }
  });
});
