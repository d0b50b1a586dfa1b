import type { FastifyRequest } from 'fastify';
import type { Credentials, CredentialsService } from '../../../apps/api/src/http/credentials.service';
import {
  groupOfKey,
  isUnlimited,
  rateLimitGroup,
  rateLimitKeyer,
} from '../../../apps/api/src/http/rate-limit-keys';

function request(method: string, route: string | undefined, ip = '203.0.113.9'): FastifyRequest {
  return { method, ip, routeOptions: { url: route }, headers: {} } as unknown as FastifyRequest;
}

const keyer = (credentials: Credentials) =>
  rateLimitKeyer({ of: async () => credentials } as unknown as CredentialsService);

describe('rate-limit groups, by the route matched', () => {
  it.each([
    ['POST', '/v1/files', 'uploads'],
    ['POST', '/v1/uploads', 'uploads'],
    ['GET', '/v1/files', 'default'],
    ['PATCH', '/v1/uploads/:id', 'default'],
    ['GET', '/v1/files/:id/content', 'default'],
    ['POST', '/v1/tenants', 'admin'],
    ['DELETE', '/v1/api-keys/:id', 'admin'],
    ['PUT', '/admin/queues/api/queues/:queueName/retry/:queueStatus', 'admin'],
    ['GET', undefined, 'default'],
  ])('%s %s draws on %s', (method, route, group) => {
    expect(rateLimitGroup(method, route)).toBe(group);
  });

  it('never limits the matched health, metrics and docs routes; an unmatched URL is limited', () => {
    expect(isUnlimited(request('GET', '/health/ready'))).toBe(true);
    expect(isUnlimited(request('GET', '/metrics'))).toBe(true);
    expect(isUnlimited(request('GET', '/docs/openapi.json'))).toBe(true);
    expect(isUnlimited(request('GET', undefined))).toBe(false);
    expect(isUnlimited(request('GET', '/v1/files'))).toBe(false);
  });
});

describe('rate-limit keys', () => {
  it('keys a tenant by key id and the admin as admin, wherever they call from', async () => {
    const tenant = keyer({
      kind: 'valid',
      scheme: 'bearer',
      principal: { kind: 'tenant', tenantId: 't', keyId: 'k1', scopes: [] },
    });
    expect(await tenant(request('POST', '/v1/files', '198.51.100.1'))).toBe('uploads:key:k1');
    expect(await tenant(request('POST', '/v1/files', '198.51.100.2'))).toBe('uploads:key:k1');
    const admin = keyer({ kind: 'valid', scheme: 'basic', principal: { kind: 'admin' } });
    expect(await admin(request('GET', '/v1/tenants'))).toBe('admin:admin');
  });

  it('keys anonymous callers by address, and every failed attempt into failedAuth by address', async () => {
    expect(await keyer({ kind: 'none' })(request('GET', '/v1/downloads/:token'))).toBe(
      'default:ip:203.0.113.9',
    );
    for (const scheme of ['bearer', 'basic', 'other'] as const) {
      const key = await keyer({ kind: 'invalid', scheme })(request('POST', '/v1/files'));
      expect(key).toBe('failedAuth:ip:203.0.113.9');
      expect(groupOfKey(key)).toBe('failedAuth');
    }
  });
});

describe('rate-limit keys when keys cannot be looked up', () => {
  it('fall back to the client address, leaving the answer (a 503) to the auth guard', async () => {
    const failing = rateLimitKeyer({
      of: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      },
    } as unknown as CredentialsService);
    expect(await failing(request('POST', '/v1/files'))).toBe('uploads:ip:203.0.113.9');
  });
});
