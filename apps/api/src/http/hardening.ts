import { createHash } from 'node:crypto';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { ApiConfig, DepotConfig } from '@depot/config';
import { rateLimitStorage } from './rate-limit.store';

type RateLimitGroup = keyof ApiConfig['rateLimit']['groups'];

/** Health, metrics and docs are never limited: probes and scrapers must always get through. */
const UNLIMITED = /^\/(health|metrics|docs)(\/|$)/;

/** The budget a request draws on, by route. */
export function rateLimitGroup(method: string, url: string): RateLimitGroup {
  if (/^\/(v1\/(admin|tenants|api-keys)|admin)(\/|$)/.test(url)) return 'admin';
  if (method === 'POST' && /^\/v1\/files\/?(\?|$)/.test(url)) return 'uploads';
  return 'default';
}

/** Per API key when there is one (hashed: the key never reaches Redis), else per client address. */
function rateLimitKey(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  const who = authorization
    ? `key:${createHash('sha256').update(authorization).digest('hex').slice(0, 32)}`
    : `ip:${request.ip}`;
  return `${rateLimitGroup(request.method, request.url)}:${who}`;
}

/**
 * Security headers, CORS from config, and per-key rate limits whose counters live in Redis so
 * every api replica shares them. If Redis is down the limiter lets requests through (the
 * outage shows in readiness) rather than failing every call.
 */
export async function registerHardening(
  app: NestFastifyApplication,
  { api, redis, queue }: Pick<DepotConfig, 'api' | 'redis' | 'queue'>,
): Promise<void> {
  // helmet's middleware, built once: @fastify/helmet rebuilds it (and re-parses the CSP) per request.
  const securityHeaders = helmet({
    // Swagger UI at /docs needs inline scripts and styles; the JSON api needs no CSP of its own.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, () => done()));
  if (api.cors.origins.length > 0) {
    await app.register(cors, {
      origin: api.cors.origins,
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: [
        'authorization',
        'content-type',
        'idempotency-key',
        'x-request-id',
        'range',
        'if-none-match',
      ],
      exposedHeaders: ['location', 'etag', 'content-range', 'retry-after', 'x-request-id'],
      maxAge: 600,
    });
  }
  if (api.rateLimit.enabled) {
    await app.register(rateLimit, {
      global: true,
      // Counters shared by every api process: in Redis, or in PostgreSQL on the postgres queue backend.
      ...rateLimitStorage(app, { redis, queue }),
      skipOnError: true,
      timeWindow: api.rateLimit.windowSeconds * 1000,
      keyGenerator: rateLimitKey,
      max: (request) => api.rateLimit.groups[rateLimitGroup(request.method, request.url)],
      allowList: (request) => UNLIMITED.test(request.url),
      // Thrown by the plugin, then answered as problem+json by the api's exception filter.
      errorResponseBuilder: (_request, context) =>
        new HttpException(
          `Rate limit of ${context.max} requests per ${api.rateLimit.windowSeconds} s exceeded; retry after ${context.after}.`,
          HttpStatus.TOO_MANY_REQUESTS,
        ),
    });
  }
}
