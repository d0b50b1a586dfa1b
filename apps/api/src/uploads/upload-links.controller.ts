import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toFileView, UPLOAD_LINKS_PATH, UploadLinks } from '@depot/files';
import type { TenantPrincipal } from '@depot/tenancy';
import { CurrentTenant, Public, RequireScopes } from '../http/auth.decorators';
import { ApiProblems } from '../http/problem.schema';
import { FileUploads } from '../files/file-uploads';
import { FileDto, UploadFileDto } from '../files/files.dto';
import { CreateUploadLinkDto, UploadLinkDto } from './upload-links.dto';

/**
 * Upload links: a tenant hands out a URL that lets anyone holding it upload one file into
 * the tenant without an API key (a browser app that must not hold one).
 */
@ApiTags('uploads')
@Controller(UPLOAD_LINKS_PATH)
export class UploadLinksController {
  constructor(
    private readonly links: UploadLinks,
    private readonly uploads: FileUploads,
  ) {}

  @Post()
  @RequireScopes('files:write')
  @ApiOperation({
    summary: 'Make a one-use link that uploads one file into this tenant without an API key.',
    description:
      'The link is signed by its random token, of which Depot keeps only a hash. Its constraints ' +
      '(`maxSizeBytes`, `allowedTypes`) apply on top of `files.*`.',
  })
  @ApiCreatedResponse({ type: UploadLinkDto })
  @ApiProblems(400)
  async create(
    @CurrentTenant() tenant: TenantPrincipal,
    @Body() body: CreateUploadLinkDto,
  ): Promise<UploadLinkDto> {
    const link = await this.links.create(tenant.tenantId, {
      fileName: body.name,
      maxSizeBytes: body.maxSizeBytes,
      allowedTypes: body.allowedTypes,
      fileExpiresAt: body.fileExpiresAt,
      fileExpiresInSeconds: body.fileExpiresInSeconds,
      expiresInSeconds: body.expiresInSeconds,
    });
    return { url: link.url, expiresAt: link.expiresAt.toISOString() };
  }

  @Post(':token')
  @Public()
  @ApiParam({ name: 'token', description: 'The last segment of the link’s `url`.' })
  @ApiOperation({
    summary: 'Upload one file through a link (no Authorization).',
    description:
      'As `POST /v1/files`, into the tenant that made the link and within its constraints. The link ' +
      'works once: a refused upload (400, 413, 415) leaves it usable.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadFileDto })
  @ApiCreatedResponse({ type: FileDto })
  @ApiProblems(
    400,
    [403, 'Not a valid link (unknown or altered token), or the link has expired.'],
    [410, 'The link has already been used.'],
    413,
    415,
  )
  async upload(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FileDto> {
    const { file } = await this.links.use(token, (grant) =>
      this.uploads.upload(request, grant.tenantId, {
        limits: grant.limits,
        overrides: { fileName: grant.fileName, expiresAt: grant.expiresAt },
      }),
    );
    void reply.header('location', `/v1/files/${file.id}`);
    return toFileView(file);
  }
}
