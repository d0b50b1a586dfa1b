import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The body type of tus PATCH (and creation-with-upload) requests. */
export const TUS_BODY_TYPE = 'application/offset+octet-stream';

/**
 * Leaves tus bodies unread, so `TusProtocolService` streams them to storage as they arrive
 * (never buffered, and limited by the upload's own length rather than `api.bodyLimitBytes`).
 */
export function registerTusBody(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(TUS_BODY_TYPE, (_request, _payload, done) => done(null));
}
