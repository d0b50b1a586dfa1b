import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What a signed link grants: one key on one disk, optionally with response headers chosen by its issuer. */
export interface LinkClaims {
  disk: string;
  key: string;
  /** Serve as `Content-Disposition: attachment` with this file name. */
  downloadName?: string;
  /** Serve with this `Content-Type` instead of the stored one. */
  contentType?: string;
}

export interface SignedLink extends LinkClaims {
  expiresAt: Date;
}

/** A link token that is not one this signer issued, or was altered. */
export class InvalidLinkError extends Error {
  constructor(reason: string) {
    super(`invalid link: ${reason}`);
    this.name = 'InvalidLinkError';
  }
}

/** A genuine link token past its expiry. */
export class ExpiredLinkError extends Error {
  constructor(readonly expiresAt: Date) {
    super(`link expired at ${expiresAt.toISOString()}`);
    this.name = 'ExpiredLinkError';
  }
}

export interface LinkSignerOptions {
  /** The clock, in milliseconds since the epoch (tests move it). */
  now?: () => number;
  /** Secrets rotated out: links they signed still verify until they expire; new links use the current one. */
  previousSecrets?: readonly string[];
}

const MIN_SECRET_LENGTH = 32;
const MAX_TOKEN_LENGTH = 8192;
/** Binds the MAC to this use, so the same secret signing something else can never yield a valid link. */
const MAC_CONTEXT = 'depot-link.v1.';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const payloadSchema = z.strictObject({
  d: z.string(),
  k: z.string(),
  e: z.int(),
  n: z.string().optional(),
  t: z.string().optional(),
});
type Payload = z.infer<typeof payloadSchema>;

/**
 * Issues and checks expiring links to one object, for disks that cannot presign their own
 * URLs (local, memory). A token is `base64url(claims).base64url(HMAC-SHA256)`: readable by
 * anyone, unforgeable without the secret, checked in constant time.
 */
export class LinkSigner {
  /** The current secret first; it alone signs. */
  private readonly secrets: Buffer[];
  private readonly now: () => number;

  constructor(secret: string, options: LinkSignerOptions = {}) {
    for (const candidate of [secret, ...(options.previousSecrets ?? [])]) {
      if (candidate.length < MIN_SECRET_LENGTH) {
        throw new Error(`a link signing secret must be at least ${MIN_SECRET_LENGTH} characters`);
      }
    }
    this.secrets = [secret, ...(options.previousSecrets ?? [])].map((candidate) => Buffer.from(candidate));
    this.now = options.now ?? Date.now;
  }

  /** A token valid for `expiresIn` seconds from now. */
  sign(claims: LinkClaims, expiresIn: number): string {
    if (!(expiresIn > 0 && Number.isFinite(expiresIn))) {
      throw new RangeError(`expiresIn must be a positive number of seconds, got ${expiresIn}`);
    }
    const payload: Payload = {
      d: claims.disk,
      k: claims.key,
      e: Math.floor(this.now() / 1000 + expiresIn),
      n: claims.downloadName,
      t: claims.contentType,
    };
    const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${encoded}.${this.mac(this.secrets[0]!, encoded).toString('base64url')}`;
  }

  /** The link's claims, or {@link InvalidLinkError} / {@link ExpiredLinkError}. */
  verify(token: string): SignedLink {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)
      throw new InvalidLinkError('malformed token');
    const [encoded, signature = '', ...rest] = token.split('.');
    if (rest.length > 0 || !BASE64URL.test(encoded) || !BASE64URL.test(signature)) {
      throw new InvalidLinkError('malformed token');
    }

    const given = Buffer.from(signature, 'base64url');
    const genuine = this.secrets.some((secret) => {
      const expected = this.mac(secret, encoded);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!genuine) throw new InvalidLinkError('bad signature');

    const payload = payloadSchema.safeParse(parseJson(Buffer.from(encoded, 'base64url').toString()));
    // Only this signer's own tokens get here, so a bad payload means a bug or a leaked secret.
    if (!payload.success) throw new InvalidLinkError('unreadable claims');
    const { d: disk, k: key, e: expiresAtSeconds, n: downloadName, t: contentType } = payload.data;
    const expiresAt = new Date(expiresAtSeconds * 1000);
    if (this.now() >= expiresAt.getTime()) throw new ExpiredLinkError(expiresAt);
    return { disk, key, expiresAt, downloadName, contentType };
  }

  private mac(secret: Buffer, encodedPayload: string): Buffer {
    return createHmac('sha256', secret).update(MAC_CONTEXT).update(encodedPayload).digest();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
