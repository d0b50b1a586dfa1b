import { Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthConfig } from '@depot/config';
import { type HealthIndicator, HealthService, redactUrl } from '@depot/observability';
import { isAdminBearer } from '../../../libs/observability/src/auth/admin-bearer';
import { HealthController } from '../../../libs/observability/src/health/health.controller';

const ADMIN_API_KEY = 'admin-key-0123456789abcdef0123456789';
const failing: HealthIndicator = {
  name: 'storage',
  check: async () => {
    throw new Error('EACCES: permission denied, open /srv/depot/storage/.probe on 10.0.3.7');
  },
};
const working: HealthIndicator = { name: 'db', check: async () => undefined };

function reply(): FastifyReply & { statusCode: number } {
  const fake = { statusCode: 0, status: (code: number) => ((fake.statusCode = code), fake) };
  return fake as unknown as FastifyReply & { statusCode: number };
}

describe('readiness', () => {
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  const controller = new HealthController(new HealthService([working, failing]), {
    adminApiKey: ADMIN_API_KEY,
  } as AuthConfig);

  it('tells anyone up or down only, with a 503', async () => {
    const response = reply();
    expect(await controller.ready(undefined, response)).toEqual({
      status: 'error',
      checks: { db: { status: 'up' }, storage: { status: 'down' } },
    });
    expect(response.statusCode).toBe(503);
    expect(await controller.ready('Bearer not-the-admin-key', reply())).toEqual({
      status: 'error',
      checks: { db: { status: 'up' }, storage: { status: 'down' } },
    });
  });

  it('tells the operator why, and logs a check going down once', async () => {
    const report = await controller.ready(`Bearer ${ADMIN_API_KEY}`, reply());
    expect(report.checks.storage).toEqual({
      status: 'down',
      latencyMs: expect.any(Number),
      error: expect.stringContaining('/srv/depot/storage'),
    });
    const downs = warn.mock.calls.filter(([, message]) => message === 'readiness check down');
    expect(downs).toHaveLength(1);
    expect(downs[0]![0]).toMatchObject({ check: 'storage', error: expect.stringContaining('EACCES') });
  });

  it.each([
    [`Bearer ${ADMIN_API_KEY}`, true],
    [`bearer  ${ADMIN_API_KEY}`, true],
    [`Bearer ${ADMIN_API_KEY}x`, false],
    [`Basic ${ADMIN_API_KEY}`, false],
    [undefined, false],
  ])('isAdminBearer(%p) is %p', (header, expected) => {
    expect(isAdminBearer(header, ADMIN_API_KEY)).toBe(expected);
  });
});

describe('redactUrl', () => {
  it.each([
    ['/v1/downloads/abc.def-ghi', '/v1/downloads/[redacted]'],
    ['/v1/downloads/abc?download=1', '/v1/downloads/[redacted]?download=1'],
    ['/v1/upload-links/tok123', '/v1/upload-links/[redacted]'],
    ['/v1/uploads?token=abc&x=1', '/v1/uploads?token=[redacted]&x=1'],
    [
      '/bucket/key?X-Amz-Signature=ff00&X-Amz-Credential=AK%2F1',
      '/bucket/key?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]',
    ],
    ['/v1/files/123?cursor=abc', '/v1/files/123?cursor=abc'],
  ])('%s → %s', (url, redacted) => expect(redactUrl(url)).toBe(redacted));
});
