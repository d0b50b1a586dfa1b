import { redactUrl } from '@depot/observability';

describe('redactUrl', () => {
  it.each([
    ['/v1/upload-links/AbC_-123', '/v1/upload-links/[redacted]'],
    ['/v1/upload-links/AbC_-123?x=1', '/v1/upload-links/[redacted]?x=1'],
    ['/v1/downloads/eyJkIjoi.c2ln', '/v1/downloads/[redacted]'],
  ])('keeps the token of %s out of logs', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });

  it.each(['/v1/upload-links', '/v1/files/0b7e2c1e-6f1a-4c51-9a3e-2f4c1d2b3a4f', '/v1/uploads/abc'])(
    'leaves %s as it is',
    (url) => {
      expect(redactUrl(url)).toBe(url);
    },
  );
});
