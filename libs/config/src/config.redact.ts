import type { DepotConfigShape } from './config.schema';

const REDACTED = '[redacted]';
const SECRET_KEYS = new Set([
  'adminApiKey',
  'signingSecret',
  'previousSigningSecrets',
  'secretAccessKey',
  'accessKeyId',
]);

function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = REDACTED;
    return url.toString().replace(encodeURIComponent(REDACTED), REDACTED);
  } catch {
    return value;
  }
}

function redactTree(value: unknown, key = ''): unknown {
  if (SECRET_KEYS.has(key) && Array.isArray(value)) return value.map(() => REDACTED);
  if (Array.isArray(value)) return value.map((item) => redactTree(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, redactTree(child, name)]));
  }
  if (SECRET_KEYS.has(key) && value !== undefined) return REDACTED;
  if (key === 'url' && typeof value === 'string') return redactUrl(value);
  return value;
}

/** A copy of the config that is safe to print or log: secrets and URL passwords hidden. */
export function redactConfig(config: DepotConfigShape): DepotConfigShape {
  return redactTree(config) as DepotConfigShape;
}
