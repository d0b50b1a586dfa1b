import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DepotConfig } from '@depot/config';
import { CredentialsService } from './credentials.service';
import { groupOfKey, isUnlimited, rateLimitKeyer } from './rate-limit-keys';
import { rateLimitStorage } from './rate-limit.store';
import { SECURITY_HEADERS } from './security-headers';
import { TUS_CORS } from '../uploads/tus-cors';

/**
 * Security headers, CORS from config, and rate limits whose counters live in Redis so every
 * api replica shares them, keyed as {@link rateLimitKeyer} says. If Redis is down the
 * limiter lets requests through (the outage shows in readiness) rather than failing every call.
 */
export async function registerHardening(
  app: NestFastifyApplication,
  { api, redis, queue }: Pick<DepotConfig, 'api' | 'redis' | 'queue'>,
): Promise<void> {
  const rateLimitKey = rateLimitKeyer(app.get(CredentialsService, { strict: false }));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      void reply.headers(SECURITY_HEADERS);
      done();
    });
  if (api.cors.origins.length > 0) {
    await app.register(cors, {
      origin: api.cors.origins,
      methods: ['GET', 'POST', 'DELETE', ...TUS_CORS.methods],
      allowedHeaders: [
        'authorization',
        'content-type',
        'idempotency-key',
        'x-request-id',
        'range',
        'if-none-match',
        ...TUS_CORS.allowedHeaders,
      ],
      exposedHeaders: [
        'location',
        'etag',
        'content-range',
        'retry-after',
        'x-request-id',
        ...TUS_CORS.exposedHeaders,
      ],
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
      max: (_request, key) => api.rateLimit.groups[groupOfKey(key)],
      allowList: isUnlimited,
      // Thrown by the plugin, then answered as problem+json by the api's exception filter.
      errorResponseBuilder: (_request, context) =>
        new HttpException(
          `Rate limit of ${context.max} requests per ${api.rateLimit.windowSeconds} s exceeded; retry after ${context.after}.`,
          HttpStatus.TOO_MANY_REQUESTS,
        ),
    });
  }
}
