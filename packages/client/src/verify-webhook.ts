/**
 * Verifies a `Depot-Signature` header (`t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
 * "<t>.<raw body>")>`), the scheme the server signs deliveries with. Uses Web Crypto, so it
 * runs in Node 20+, browsers, and edge runtimes alike.
 */
export type WebhookVerification =
  { valid: true; timestamp: number } | { valid: false; reason: 'malformed' | 'expired' | 'mismatch' };

export interface VerifyWebhookOptions {
  /** Largest accepted distance between the signed timestamp and now, either way. Default 300 s. */
  toleranceSeconds?: number;
  /** The current time (for tests). */
  now?: Date;
}

export const SIGNATURE_HEADER = 'Depot-Signature';
const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * `body` must be the raw bytes as received, not re-serialised JSON. `secret` may be a list
 * while rotating. The comparison is the HMAC verification of Web Crypto (constant time).
 */
export async function verifyWebhook(
  secret: string | readonly string[],
  header: string | null | undefined,
  body: string | Uint8Array,
  options: VerifyWebhookOptions = {},
): Promise<WebhookVerification> {
  const parsed = parseHeader(header);
  if (!parsed) return { valid: false, reason: 'malformed' };
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - parsed.timestamp) > tolerance) return { valid: false, reason: 'expired' };

  const encoder = new TextEncoder();
  const bodyBytes: Uint8Array = typeof body === 'string' ? encoder.encode(body) : body;
  const prefix = encoder.encode(`${parsed.timestamp}.`);
  const signed = new Uint8Array(prefix.length + bodyBytes.length);
  signed.set(prefix);
  signed.set(bodyBytes, prefix.length);

  for (const candidate of typeof secret === 'string' ? [secret] : secret) {
    const key = await crypto.subtle.importKey(
      'raw',
      encoder.encode(candidate),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    for (const signature of parsed.signatures) {
      if (await crypto.subtle.verify('HMAC', key, signature, signed)) {
        return { valid: true, timestamp: parsed.timestamp };
      }
    }
  }
  return { valid: false, reason: 'mismatch' };
}

/** `t=...,v1=...[,v1=...]`; unknown schemes are ignored so that new ones can be added beside v1. */
function parseHeader(
  header: string | null | undefined,
): { timestamp: number; signatures: Uint8Array<ArrayBuffer>[] } | undefined {
  if (!header) return undefined;
  let timestamp: number | undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) return undefined;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return undefined;
      signatures.push(Uint8Array.from(value.match(/../g)!, (byte) => parseInt(byte, 16)));
    }
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}
