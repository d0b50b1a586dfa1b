import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { BucketsService, checkBucketName } from '@depot/files';
import type { TenantPrincipal } from '@depot/tenancy';
import { CurrentTenant, RequireScopes } from '../http/auth.decorators';
import { notFound } from '../http/problem';
import { ApiProblems } from '../http/problem.schema';
import {
  BucketDto,
  BucketListDto,
  CreateBucketDto,
  DeleteBucketQueryDto,
  UpdateBucketDto,
} from './buckets.dto';

@ApiTags('buckets')
@Controller('v1/buckets')
export class BucketsController {
  constructor(private readonly buckets: BucketsService) {}

  @Post()
  @RequireScopes('files:write')
  @ApiOperation({ summary: 'Create a bucket.' })
  @ApiCreatedResponse({ type: BucketDto })
  @ApiProblems(400, [409, 'The tenant already has a bucket of that name.', 'bucketExists'])
  async create(@CurrentTenant() tenant: TenantPrincipal, @Body() body: CreateBucketDto): Promise<BucketDto> {
    const { name, ...settings } = body;
    return BucketDto.from(await this.buckets.create(tenant.tenantId, name, settings));
  }

  @Get()
  @RequireScopes('files:read')
  @ApiOperation({ summary: "The tenant's buckets, by name." })
  @ApiOkResponse({ type: BucketListDto })
  async list(@CurrentTenant() tenant: TenantPrincipal): Promise<BucketListDto> {
    return { items: (await this.buckets.list(tenant.tenantId)).map((bucket) => BucketDto.from(bucket)) };
  }

  @Get(':name')
  @ApiParam({ name: 'name', example: 'default' })
  @RequireScopes('files:read')
  @ApiOperation({ summary: 'A bucket, with its usage.' })
  @ApiOkResponse({ type: BucketDto })
  @ApiProblems(404)
  async get(@CurrentTenant() tenant: TenantPrincipal, @Param('name') name: string): Promise<BucketDto> {
    const bucket = await this.buckets.find(tenant.tenantId, bucketName(name));
    if (!bucket) throw notFound('bucket');
    return BucketDto.from(bucket);
  }

  @Patch(':name')
  @ApiParam({ name: 'name', example: 'default' })
  @RequireScopes('files:write')
  @ApiOperation({
    summary: "Change a bucket's rules.",
    description:
      'Only the fields sent change. Rules apply to uploads from then on; making it private ends its public reads at once.',
  })
  @ApiOkResponse({ type: BucketDto })
  @ApiProblems(400, 404)
  async update(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('name') name: string,
    @Body() body: UpdateBucketDto,
  ): Promise<BucketDto> {
    return BucketDto.from(await this.buckets.update(tenant.tenantId, bucketName(name), body));
  }

  @Delete(':name')
  @ApiParam({ name: 'name', example: 'avatars' })
  @HttpCode(204)
  @RequireScopes('files:write')
  @ApiOperation({
    summary: 'Delete a bucket.',
    description:
      '409 while it holds files, unless `force=true`, which deletes them through the normal delete path ' +
      '(reads 404 at once, bytes purged by the worker, `file.deleted` webhooks). `default` cannot be deleted.',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems(400, 404, [409, 'The bucket holds files, or is `default`.', 'bucketNotEmpty'])
  async remove(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('name') name: string,
    @Query() query: DeleteBucketQueryDto,
  ): Promise<void> {
    if (!(await this.buckets.delete(tenant.tenantId, bucketName(name), query.force ?? false))) {
      throw notFound('bucket');
    }
  }
}

/** A path segment that cannot be a bucket name is a bucket that does not exist. */
function bucketName(name: string): string {
  try {
    return checkBucketName(name);
  } catch {
    throw notFound('bucket');
  }
}
