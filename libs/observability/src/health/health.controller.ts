import { Controller, Get, Headers, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthConfig } from '@depot/config';
import { isAdminBearer } from '../auth/admin-bearer';
import { HealthService } from './health.service';
import type { ReadinessReport } from './health-indicator';

// Described for OpenAPI by the api (apps/api/src/http/openapi.ts): the worker and the scheduler
// serve this controller too and need not load @nestjs/swagger for it.
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly auth: AuthConfig,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReadinessReport> {
    const report = await this.health.readiness();
    reply.status(report.status === 'ok' ? 200 : 503);
    if (isAdminBearer(authorization, this.auth.adminApiKey)) return report;
    return {
      status: report.status,
      checks: Object.fromEntries(
        Object.entries(report.checks).map(([name, { status }]) => [name, { status }]),
      ),
    };
  }
}
