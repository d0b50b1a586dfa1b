import {
  Controller,
  Get,
  Header,
  Headers,
  NotFoundException,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthConfig, MetricsConfig } from '@depot/config';
import { isAdminBearer } from '../auth/admin-bearer';
import { MetricsRegistry } from './metrics.registry';

// Left out of the api's OpenAPI document by the api (apps/api/src/http/openapi.ts), so that the
// worker and the scheduler, which serve it too, need not load @nestjs/swagger.
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly config: MetricsConfig,
    private readonly auth: AuthConfig,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    if (!this.config.enabled) throw new NotFoundException();
    if (this.config.requireAdminKey && !isAdminBearer(authorization, this.auth.adminApiKey)) {
      reply.header('www-authenticate', 'Bearer realm="depot"');
      throw new UnauthorizedException('Metrics need the admin key as Bearer (metrics.requireAdminKey).');
    }
    reply.type(this.metrics.contentType);
    return this.metrics.text();
  }
}
