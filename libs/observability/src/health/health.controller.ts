import { Controller, Get, Headers, HttpCode, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthConfig } from '@depot/config';
import { isAdminBearer } from '../auth/admin-bearer';
import { HealthService } from './health.service';
import type { ReadinessReport } from './health-indicator';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly auth: AuthConfig,
  ) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up and serving HTTP.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Every dependency answers: 200, or 503 with up or down for each.',
    description:
      'Anyone sees up or down per dependency. Latencies and the errors of failed checks (which name hosts ' +
      'and paths) are shown only with the admin key as Bearer; the app logs them when a check goes down.',
  })
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
