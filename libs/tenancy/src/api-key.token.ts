import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Tenant API keys look like `dpk_3f9a0c2e71b4_<43 base64url characters>`:
 *
 * - `dpk_3f9a0c2e71b4` is the visible prefix. It is stored as is (unique), shown in key
 *   listings and logs, and used to find the key's row without scanning.
 * - the rest is 256 bits from the OS's CSPRNG. Only the SHA-256 of the whole key is stored:
 *   with that much entropy a slow password hash would add cost and no safety.
 */
export const API_KEY_PATTERN = /^(dpk_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  /** The whole key: hand it to the caller once, never store it. */
  key: string;
  prefix: string;
  /** SHA-256 of the whole key, hex. */
  hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = `dpk_${randomBytes(6).toString('hex')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The visible prefix of a well-formed key, or undefined for anything else. */
export function apiKeyPrefix(key: string): string | undefined {
  return API_KEY_PATTERN.exec(key)?.[1];
}

/** SHA-256 of a key or secret, raw: what is stored (as hex) and what is compared. */
export function keyDigest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The stored form of a key: its SHA-256, hex. */
export function hashApiKey(key: string): string {
  return keyDigest(key).toString('hex');
}

/** Whether a digest equals a stored hex digest, in constant time. */
export function digestMatches(digest: Buffer, storedHex: string): boolean {
  return digestEquals(digest, Buffer.from(storedHex, 'hex'));
}

/** Whether two SHA-256 digests are equal, in constant time. */
export function digestEquals(digest: Buffer, stored: Buffer): boolean {
  return digest.length === 32 && stored.length === 32 && timingSafeEqual(digest, stored);
}

/**
 * Compares a presented secret with a configured one in constant time whatever their
 * lengths: both are hashed first, so neither the content nor the length leaks.
 */
export function secretsEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(keyDigest(presented), keyDigest(expected));
}
