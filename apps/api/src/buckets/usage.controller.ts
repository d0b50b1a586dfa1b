import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantUsageService } from '@depot/files';
import type { TenantPrincipal } from '@depot/tenancy';
import { CurrentTenant, RequireScopes } from '../http/auth.decorators';
import { notFound } from '../http/problem';
import { UsageDto } from './buckets.dto';

@ApiTags('buckets')
@Controller('v1/usage')
export class UsageController {
  constructor(private readonly usage: TenantUsageService) {}

  @Get()
  @RequireScopes('files:read')
  @ApiOperation({
    summary: "The tenant's usage and quota, in total and by bucket.",
    description: 'Files not deleted and their bytes; uploads still streaming count until they settle.',
  })
  @ApiOkResponse({ type: UsageDto })
  async get(@CurrentTenant() tenant: TenantPrincipal): Promise<UsageDto> {
    const usage = await this.usage.usage(tenant.tenantId);
    if (!usage) throw notFound('tenant');
    return usage;
  }
}
