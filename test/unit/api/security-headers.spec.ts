import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { HELMET_OPTIONS, SECURITY_HEADERS } from '../../../apps/api/src/http/security-headers';

describe('security headers', () => {
  it('are exactly what helmet sets on a response, read once', () => {
    const request = new IncomingMessage(new Socket());
    const response = new ServerResponse(request);
    response.setHeader('X-Powered-By', 'something');
    helmet(HELMET_OPTIONS)(request, response, () => undefined);
    const set = Object.fromEntries(
      Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]),
    );
    expect(SECURITY_HEADERS).toEqual(set);
    expect(SECURITY_HEADERS).toMatchObject({
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-site',
      'content-security-policy': expect.stringContaining("script-src 'self' 'unsafe-inline'"),
    });
    expect(Object.isFrozen(SECURITY_HEADERS)).toBe(true);
  });
});
