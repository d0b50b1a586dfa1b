/** What `files.allowedTypes` and `files.deniedTypes` say. */
export interface TypePolicy {
  /** Empty: any type. Entries are `type/subtype` or `type/*`. */
  allowedTypes: readonly string[];
  deniedTypes: readonly string[];
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})$`);
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * The `type/subtype` of a Content-Type value, lowercased and without parameters
 * (`Text/HTML; charset=utf-8` is `text/html`), or undefined when it is not a media type.
 */
export function mediaTypeEssence(value: string | undefined): string | undefined {
  const essence = value?.split(';', 1)[0]!.trim().toLowerCase();
  return essence && MEDIA_TYPE.test(essence) ? essence : undefined;
}

function matches(essence: string, pattern: string): boolean {
  const normalized = pattern.trim().toLowerCase();
  if (normalized === '*/*') return true;
  return normalized.endsWith('/*') ? essence.startsWith(normalized.slice(0, -1)) : essence === normalized;
}

/**
 * Whether a type passes the policy: it must match `allowedTypes` (when any are listed)
 * and must match no entry of `deniedTypes`, which wins over an allow.
 */
export function isTypeAccepted(essence: string, policy: TypePolicy): boolean {
  const allowed =
    policy.allowedTypes.length === 0 || policy.allowedTypes.some((entry) => matches(essence, entry));
  return allowed && !policy.deniedTypes.some((entry) => matches(essence, entry));
}
