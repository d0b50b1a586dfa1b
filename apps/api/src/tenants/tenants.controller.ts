import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiKeysService, TenantsService } from '@depot/tenancy';
import { AdminOnly } from '../http/auth.decorators';
import { PageQueryDto } from '../http/pagination.dto';
import { notFound } from '../http/problem';
import { ApiProblems } from '../http/problem.schema';
import { ResourceIdPipe } from '../http/resource-id.pipe';
import {
  ApiKeyDto,
  ApiKeyListDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  CreateTenantDto,
  TenantDto,
  TenantPageDto,
  UpdateTenantDto,
} from './tenants.dto';

/** The operator's routes: tenants and their API keys. */
@ApiTags('tenants')
@AdminOnly()
@Controller('v1')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Post('tenants')
  @ApiOperation({ summary: 'Create a tenant.' })
  @ApiCreatedResponse({ type: TenantDto })
  @ApiProblems(400)
  async createTenant(@Body() body: CreateTenantDto): Promise<TenantDto> {
    return TenantDto.from(await this.tenants.create(body.name));
  }

  @Patch('tenants/:tenantId')
  @ApiOperation({
    summary: 'Rename a tenant or set its quota.',
    description:
      'Only what is sent changes; `null` removes a cap. A quota below what the tenant holds refuses ' +
      'new uploads (409 `quota-max-bytes` / `quota-max-files`) and keeps what is stored.',
  })
  @ApiParam({ name: 'tenantId', format: 'uuid' })
  @ApiOkResponse({ type: TenantDto })
  @ApiProblems(400, 404)
  async updateTenant(
    @Param('tenantId', new ResourceIdPipe('tenant')) tenantId: string,
    @Body() body: UpdateTenantDto,
  ): Promise<TenantDto> {
    const tenant = await this.tenants.update(tenantId, body);
    if (!tenant) throw notFound('tenant');
    return TenantDto.from(tenant);
  }

  @Get('tenants')
  @ApiOperation({ summary: 'List tenants, newest first.' })
  @ApiOkResponse({ type: TenantPageDto })
  @ApiProblems(400)
  async listTenants(@Query() query: PageQueryDto): Promise<TenantPageDto> {
    const page = await this.tenants.list(query);
    return { items: page.items.map((tenant) => TenantDto.from(tenant)), nextCursor: page.nextCursor };
  }

  @Post('tenants/:tenantId/api-keys')
  @ApiOperation({
    summary: 'Issue an API key for a tenant.',
    description: 'The response carries the key itself, once. Depot stores only its SHA-256 and its prefix.',
  })
  @ApiParam({ name: 'tenantId', format: 'uuid' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblems(400, 404)
  async issueKey(
    @Param('tenantId', new ResourceIdPipe('tenant')) tenantId: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    if (!(await this.tenants.exists(tenantId))) throw notFound('tenant');
    const { apiKey, key } = await this.apiKeys.issue(tenantId, body);
    const { id, name, scopes, prefix, createdAt } = ApiKeyDto.from(apiKey);
    return { id, name, scopes, prefix, key, createdAt };
  }

  @Get('tenants/:tenantId/api-keys')
  @ApiOperation({ summary: "List a tenant's API keys (never the keys themselves), newest first." })
  @ApiParam({ name: 'tenantId', format: 'uuid' })
  @ApiOkResponse({ type: ApiKeyListDto })
  @ApiProblems(404)
  async listKeys(@Param('tenantId', new ResourceIdPipe('tenant')) tenantId: string): Promise<ApiKeyListDto> {
    if (!(await this.tenants.exists(tenantId))) throw notFound('tenant');
    const keys = await this.apiKeys.listForTenant(tenantId);
    return { items: keys.map((key) => ApiKeyDto.from(key)) };
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key: it is refused from the next request on.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked).' })
  @ApiProblems(404)
  async revokeKey(@Param('id', new ResourceIdPipe('API key')) id: string): Promise<void> {
    if (!(await this.apiKeys.revoke(id))) throw notFound('API key');
  }
}
