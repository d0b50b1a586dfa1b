import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FilesConfig } from '@depot/config';
import { multipartLimits } from './file-uploads';

/** Lets `POST /v1/files` read its multipart body as a stream, within {@link multipartLimits}. */
export async function registerMultipart(app: NestFastifyApplication, config: FilesConfig): Promise<void> {
  await app.register(multipart, { limits: multipartLimits(config) });
}
