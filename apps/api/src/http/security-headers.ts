import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * The api's helmet options. Swagger UI at /docs needs inline scripts and styles; the JSON
 * api needs no CSP of its own.
 */
export const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
    },
  },
  crossOriginResourcePolicy: { policy: 'same-site' },
};

/**
 * The headers helmet sets with {@link HELMET_OPTIONS}, read once from its middleware. With
 * static directives they are the same for every request, so each response gets them as
 * Fastify reply headers: helmet's per-request `setHeader` calls on the raw response would
 * also push every other header of the response through Node's slower header path.
 */
function helmetHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string): void {
      headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string): void {
      delete headers[name.toLowerCase()];
    },
  };
  let done = false;
  helmet(HELMET_OPTIONS)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    done = true;
  });
  // helmet's middleware is synchronous; if a future version were not, this must not pass silently.
  if (!done) throw new Error('helmet did not finish synchronously; its headers cannot be captured');
  return Object.freeze(headers);
}

/** Lower-case header name to value: what every api response carries (CSP, HSTS, nosniff...). */
export const SECURITY_HEADERS = helmetHeaders();
