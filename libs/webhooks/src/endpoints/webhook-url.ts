import { isIP } from 'node:net';
import { type DestinationPolicy, refusedRange } from '../delivery/destination-guard';

export const WEBHOOK_URL_MAX_LENGTH = 2048;

/**
 * Why a webhook URL cannot be registered, or undefined when it can: http or https only, no
 * credentials in it (they would be logged and shown back), no fragment, and, unless private
 * networks are allowed, no literal address in a refused range nor `localhost`. Hostnames are
 * not resolved here: what they resolve to is checked at every delivery, where it matters.
 */
export function webhookUrlProblem(raw: string, policy: DestinationPolicy): string | undefined {
  if (raw.length > WEBHOOK_URL_MAX_LENGTH) return `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not contain credentials';
  if (url.hash) return 'must not contain a fragment';
  if (policy.allowPrivateNetworks) return undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point at a private network';
  if (isIP(host) !== 0 && refusedRange(host)) return 'must not point at a private network';
  return undefined;
}
