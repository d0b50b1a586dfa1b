import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `Depot-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 *
 * The timestamp is signed with the body, so a captured delivery cannot be replayed later
 * than the receiver's tolerance, and the body cannot be altered without the secret. This
 * file depends on nothing but `node:crypto` so that receivers can copy it as it is.
 */
export const SIGNATURE_HEADER = 'Depot-Signature';
export const SIGNATURE_SCHEME = 'v1';

/** Five minutes, as most webhook providers use: room for clock skew and slow receivers. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, rawBody: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The `Depot-Signature` value for `rawBody` sent at `timestamp` (unix seconds). */
export function signWebhookPayload(
  secret: string,
  rawBody: string | Uint8Array,
  timestamp: number = Math.floor(Date.now() / 1000),
): string {
  return `t=${timestamp},${SIGNATURE_SCHEME}=${hmacHex(secret, timestamp, rawBody)}`;
}

export interface VerifyWebhookSignatureOptions {
  /** Largest accepted distance between the signed timestamp and now, either way. Default 300. */
  toleranceSeconds?: number;
  /** The current time; for tests. */
  now?: Date;
}

export type WebhookSignatureFailure = 'malformed' | 'expired' | 'mismatch';

export type WebhookVerification =
  { valid: true; timestamp: number } | { valid: false; reason: WebhookSignatureFailure };

/**
 * Checks a `Depot-Signature` header against the raw request body, for receivers of Depot's
 * webhooks. `rawBody` must be the bytes as received (not re-serialised JSON). `secret` may be
 * a list while rotating: a signature made with any of them is accepted. Comparison is in
 * constant time; a timestamp further than `toleranceSeconds` from now is refused as `expired`.
 */
export function verifyWebhookSignature(
  secret: string | readonly string[],
  header: string | null | undefined,
  rawBody: string | Uint8Array,
  options: VerifyWebhookSignatureOptions = {},
): WebhookVerification {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { valid: false, reason: 'malformed' };

  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - parsed.timestamp) > tolerance) return { valid: false, reason: 'expired' };

  const secrets = typeof secret === 'string' ? [secret] : secret;
  for (const candidate of secrets) {
    const expected = Buffer.from(hmacHex(candidate, parsed.timestamp, rawBody), 'hex');
    for (const signature of parsed.signatures) {
      if (signature.length === expected.length && timingSafeEqual(signature, expected)) {
        return { valid: true, timestamp: parsed.timestamp };
      }
    }
  }
  return { valid: false, reason: 'mismatch' };
}

/** `t=...,v1=...[,v1=...]`; unknown schemes are ignored so new ones can be added beside v1. */
function parseSignatureHeader(
  header: string | null | undefined,
): { timestamp: number; signatures: Buffer[] } | undefined {
  if (!header) return undefined;
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) return undefined;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === SIGNATURE_SCHEME) {
      if (!/^[0-9a-f]{64}$/i.test(value)) return undefined;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}
