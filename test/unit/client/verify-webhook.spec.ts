import { signWebhookPayload } from '@depot/webhooks';
import { verifyWebhook } from '../../../packages/client/src/verify-webhook';

/** The client's Web Crypto verifier accepts exactly what the server's signer produces. */
describe('verifyWebhook (@depot/client)', () => {
  const body = JSON.stringify({ id: 'evt', type: 'file.ready', data: { name: 'naïve.txt' } });
  const now = new Date('2026-11-29T12:00:00Z');
  const t = Math.floor(now.getTime() / 1000);

  it("accepts the server's signature over the raw body, as text or bytes", async () => {
    const header = signWebhookPayload('whsec_a', body, t);
    expect(await verifyWebhook('whsec_a', header, body, { now })).toEqual({ valid: true, timestamp: t });
    expect(await verifyWebhook('whsec_a', header, Buffer.from(body), { now })).toEqual({
      valid: true,
      timestamp: t,
    });
  });

  it('accepts any of several secrets while rotating, and a signature beside unknown schemes', async () => {
    const header = `${signWebhookPayload('whsec_new', body, t)},v0=ignored`;
    expect(await verifyWebhook(['whsec_old', 'whsec_new'], header, body, { now })).toMatchObject({
      valid: true,
    });
  });

  it('refuses another secret, an altered body or timestamp', async () => {
    const header = signWebhookPayload('whsec_a', body, t);
    expect(await verifyWebhook('whsec_b', header, body, { now })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(await verifyWebhook('whsec_a', header, `${body} `, { now })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    const shifted = header.replace(`t=${t}`, `t=${t + 1}`);
    expect(await verifyWebhook('whsec_a', shifted, body, { now })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('refuses a timestamp outside the tolerance', async () => {
    const header = signWebhookPayload('whsec_a', body, t - 301);
    expect(await verifyWebhook('whsec_a', header, body, { now })).toEqual({
      valid: false,
      reason: 'expired',
    });
    expect(await verifyWebhook('whsec_a', header, body, { now, toleranceSeconds: 600 })).toMatchObject({
      valid: true,
    });
  });

  it.each([undefined, '', 'garbage', 't=1', 'v1=00', `t=x,v1=${'0'.repeat(64)}`, `t=${t},v1=zz`])(
    'refuses the malformed header %p',
    async (header) => {
      expect(await verifyWebhook('whsec_a', header, body, { now })).toEqual({
        valid: false,
        reason: 'malformed',
      });
    },
  );
});
