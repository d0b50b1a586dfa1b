import type { FastifyRequest } from 'fastify';
import type { ApiConfig } from '@depot/config';
import type { Credentials, CredentialsService } from './credentials.service';

export type RateLimitGroup = keyof ApiConfig['rateLimit']['groups'];

/** Health, metrics and docs are never limited: probes and scrapers must always get through. */
const UNLIMITED = /^\/(health|metrics|docs)(\/|$)/;

/** The route Fastify matched (`/v1/files/:id`), never the raw URL a client can spell many ways. */
function matchedRoute(request: FastifyRequest): string | undefined {
  return request.routeOptions.url;
}

/** Whether the matched route is one of the never-limited ones; an unmatched URL is limited. */
export function isUnlimited(request: FastifyRequest): boolean {
  const route = matchedRoute(request);
  return route !== undefined && UNLIMITED.test(route);
}

/** The budget a request draws on, by the method and the route it matched. */
export function rateLimitGroup(
  method: string,
  route: string | undefined,
): Exclude<RateLimitGroup, 'failedAuth'> {
  if (route === undefined) return 'default';
  if (/^\/(v1\/(admin|tenants|api-keys)|admin)(\/|$)/.test(route)) return 'admin';
  // Starting an upload: multipart, through an upload link, or a tus upload's creation (its
  // PATCHes are on the default budget); making an upload link counts as one too.
  if (method === 'POST' && /^\/v1\/(files|uploads|upload-links(\/:token)?)$/.test(route)) return 'uploads';
  return 'default';
}

/** The group a key was made for: keys start with it. */
export function groupOfKey(key: string): RateLimitGroup {
  return key.slice(0, key.indexOf(':')) as RateLimitGroup;
}

/**
 * Who a request's budget belongs to, as `<group>:<who>`:
 *
 * - a valid key: its id (the admin key: `admin`), however the header is spelled;
 * - no key: the client address (`request.ip`, which honours `api.trustProxy`);
 * - a key that authenticates no one (unknown, revoked, malformed, a wrong admin key or
 *   dashboard password): the client address, in the separate `failedAuth` group, so
 *   guessing keys draws on one small budget however many keys are guessed.
 */
export function rateLimitKeyer(
  credentials: CredentialsService,
): (request: FastifyRequest) => Promise<string> {
  return async (request) => {
    const group = rateLimitGroup(request.method, matchedRoute(request));
    let found: Credentials;
    try {
      found = await credentials.of(request);
    } catch {
      // The key could not be looked up (the database is away): count the address, and let the
      // auth guard answer, which maps the same error to a 503.
      return `${group}:ip:${request.ip}`;
    }
    if (found.kind === 'invalid') return `failedAuth:ip:${request.ip}`;
    if (found.kind === 'none') return `${group}:ip:${request.ip}`;
    const { principal } = found;
    return `${group}:${principal.kind === 'admin' ? 'admin' : `key:${principal.keyId}`}`;
  };
}
