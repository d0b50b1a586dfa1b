import {
  API_KEY_PATTERN,
  apiKeyPrefix,
  digestMatches,
  generateApiKey,
  hashApiKey,
  keyDigest,
  secretsEqual,
} from '../../../libs/tenancy/src/api-key.token';

describe('API key tokens', () => {
  it('are dpk_<12 hex>_<43 base64url> with 256 random bits, hashed with SHA-256', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(API_KEY_PATTERN);
    expect(key.startsWith(`${prefix}_`)).toBe(true);
    expect(prefix).toMatch(/^dpk_[0-9a-f]{12}$/);
    // 43 base64url characters carry 258 bits, of which 256 are the 32 random bytes.
    expect(Buffer.from(key.slice(prefix.length + 1), 'base64url')).toHaveLength(32);
    expect(hash).toBe(hashApiKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never repeat', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey().key));
    const prefixes = new Set([...keys].map((key) => apiKeyPrefix(key)));
    expect(keys.size).toBe(1000);
    expect(prefixes.size).toBe(1000);
  });

  it('give their prefix only when well formed', () => {
    const { key, prefix } = generateApiKey();
    expect(apiKeyPrefix(key)).toBe(prefix);
    for (const bad of [
      '',
      'dpk_',
      `${key}x`,
      key.slice(0, -1),
      `xpk${key.slice(3)}`,
      ` ${key}`,
      key.toUpperCase(),
    ]) {
      expect(apiKeyPrefix(bad)).toBeUndefined();
    }
  });

  it('compare digests and secrets without caring about length', () => {
    const a = keyDigest('a');
    expect(digestMatches(a, hashApiKey('a'))).toBe(true);
    expect(digestMatches(a, hashApiKey('b'))).toBe(false);
    expect(digestMatches(a, 'abcd')).toBe(false);
    expect(digestMatches(Buffer.alloc(0), '')).toBe(false);
    expect(secretsEqual('admin-key', 'admin-key')).toBe(true);
    expect(secretsEqual('admin-key', 'admin-key-but-longer')).toBe(false);
    expect(secretsEqual('', 'admin-key')).toBe(false);
  });
});
