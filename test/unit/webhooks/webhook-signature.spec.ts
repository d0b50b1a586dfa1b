import { createHmac } from 'node:crypto';
import { signWebhookPayload, verifyWebhookSignature } from '@depot/webhooks';

describe('webhook signatures', () => {
  const secret = 'whsec_test-secret';
  const body = '{"id":"d1","data":{"id":"f1"},"type":"file.ready","createdAt":"2026-11-28T12:00:00.000Z"}';
  const sentAt = new Date('2026-11-28T12:00:00Z');
  const t = Math.floor(sentAt.getTime() / 1000);

  it('signs "<t>.<body>" with HMAC-SHA256 in the documented header format', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhookPayload(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('accepts a good signature, from a string or from the raw bytes', () => {
    const header = signWebhookPayload(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body, { now: sentAt })).toEqual({
      valid: true,
      timestamp: t,
    });
    expect(verifyWebhookSignature(secret, header, Buffer.from(body), { now: sentAt }).valid).toBe(true);
  });

  it('refuses a tampered body, a tampered timestamp and the wrong secret', () => {
    const header = signWebhookPayload(secret, body, t);
    const now = { now: sentAt };
    expect(verifyWebhookSignature(secret, header, body.replace('f1', 'f2'), now)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, now)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature('whsec_other', header, body, now).valid).toBe(false);
  });

  it('refuses a signature older (or newer) than the tolerance', () => {
    const header = signWebhookPayload(secret, body, t);
    const later = (seconds: number) => new Date(sentAt.getTime() + seconds * 1000);
    expect(verifyWebhookSignature(secret, header, body, { now: later(300) }).valid).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, { now: later(301) })).toEqual({
      valid: false,
      reason: 'expired',
    });
    expect(verifyWebhookSignature(secret, header, body, { now: later(-301) })).toEqual({
      valid: false,
      reason: 'expired',
    });
    expect(verifyWebhookSignature(secret, header, body, { now: later(30), toleranceSeconds: 10 }).valid).toBe(
      false,
    );
  });

  it('refuses malformed headers', () => {
    for (const header of [
      undefined,
      null,
      '',
      'v1=abc',
      `t=${t}`,
      `t=soon,v1=${'0'.repeat(64)}`,
      'garbage',
    ]) {
      expect(verifyWebhookSignature(secret, header, body, { now: sentAt })).toEqual({
        valid: false,
        reason: 'malformed',
      });
    }
  });

  it('accepts any of several secrets while one is being rotated, and extra v1 entries', () => {
    const header = signWebhookPayload(secret, body, t);
    expect(verifyWebhookSignature(['whsec_new', secret], header, body, { now: sentAt }).valid).toBe(true);
    const withOther = `${header},v1=${'ab'.repeat(32)},v0=ignored`;
    expect(verifyWebhookSignature(secret, withOther, body, { now: sentAt }).valid).toBe(true);
  });
});
