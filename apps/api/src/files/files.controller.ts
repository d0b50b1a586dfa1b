import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FileEntity, FileIntakeService, FilesService, FileViewsService } from '@depot/files';
import { EXPLICIT_LOG_CONTEXT } from '@depot/observability';
import type { TenantPrincipal } from '@depot/tenancy';
import { CurrentTenant, RequireScopes } from '../http/auth.decorators';
import { ApiFileContent } from '../http/openapi';
import { notFound } from '../http/problem';
import { ApiProblems } from '../http/problem.schema';
import { ResourceIdPipe } from '../http/resource-id.pipe';
import { sendContent } from './content-response';
import { FileUploads } from './file-uploads';
import {
  CopyFileDto,
  CreateLinkDto,
  FileDto,
  FilePageDto,
  LinkDto,
  ListFilesQueryDto,
  UploadFileDto,
  UpdateFileDto,
  UploadQueryDto,
} from './files.dto';

const FILE_ID = new ResourceIdPipe('file');

@ApiTags('files')
@Controller('v1/files')
export class FilesController {
  constructor(
    private readonly files: FilesService,
    private readonly uploads: FileUploads,
    private readonly views: FileViewsService,
    private readonly intake: FileIntakeService,
  ) {}

  @Post()
  @RequireScopes('files:write')
  // The request id goes to the intake explicitly: no log context, whose hooks cost every promise.
  @RouteConfig(EXPLICIT_LOG_CONTEXT)
  @ApiOperation({
    summary: 'Upload a file.',
    description:
      'Streams the file to storage and answers as soon as it is stored, with status `pending`; the worker ' +
      'then checks it (SHA-256, type from its bytes) and makes it `ready` or `failed`. With an ' +
      '`Idempotency-Key` already used by this tenant, the body is not read and the first upload is ' +
      'answered again (same status, id and Location; the file as it is now; `Idempotent-Replayed: true`). ' +
      "The bucket's rules apply while the body streams: a declared type outside its `allowedTypes` is 415 " +
      'before a byte is stored, a body past its `maxFileSizeBytes` is 413 at the limit; nothing is kept. ' +
      "An upload that would pass the tenant's quota is 409 (`quota-max-bytes` / `quota-max-files`).",
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadFileDto })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes a retried upload safe: up to 255 visible ASCII characters, e.g. a UUID.',
  })
  @ApiCreatedResponse({
    type: FileDto,
    headers: {
      Location: { description: 'The file: `/v1/files/{id}`.', schema: { type: 'string' } },
      'Idempotent-Replayed': {
        description: '`true` when an earlier upload with the same Idempotency-Key is answered again.',
        schema: { type: 'string' },
      },
    },
  })
  @ApiProblems(
    [
      400,
      'No file, an empty file, an unexpected field, an invalid `expiresAt` or `Idempotency-Key`, or a malformed body.',
    ],
    [404, 'No bucket of that name.'],
    [409, 'The Idempotency-Key was used for a file that has since been deleted.', 'idempotencyConflict'],
    [409, "The upload would pass the tenant's storage quota.", 'quotaMaxBytes'],
    [409, "The upload would pass the tenant's file count quota.", 'quotaMaxFiles'],
    [413, "Larger than `files.maxSizeBytes` or the bucket's `maxFileSizeBytes`."],
    [
      415,
      "Not multipart/form-data, or a file type refused by `files.allowedTypes` / `files.deniedTypes` or the bucket's `allowedTypes`.",
    ],
    503,
  )
  async upload(
    @CurrentTenant() tenant: TenantPrincipal,
    @Query() query: UploadQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FileDto> {
    const idempotencyKey = this.uploads.idempotencyKey(request);
    const { file, bucket, replayed } = await this.uploads.upload(request, tenant.tenantId, {
      idempotencyKey,
      bucket: query.bucket,
      requestId: request.id,
    });
    void reply.header('location', `/v1/files/${file.id}`);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return bucket ? this.views.inBucket(file, bucket) : this.views.one(file);
  }

  @Get()
  @RequireScopes('files:read')
  @ApiOperation({
    summary: "List the tenant's files, newest first.",
    description:
      'Filters combine: `bucket`, `prefix` (start of the name), `q` (substring of the name, any case), ' +
      '`status`. `cursor` continues the same filtered list.',
  })
  @ApiOkResponse({ type: FilePageDto })
  @ApiProblems(400, [404, 'No bucket of that name.'])
  async list(
    @CurrentTenant() tenant: TenantPrincipal,
    @Query() query: ListFilesQueryDto,
  ): Promise<FilePageDto> {
    return this.files.list(tenant.tenantId, query);
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @RequireScopes('files:read')
  @ApiOperation({ summary: "A file's metadata and status." })
  @ApiOkResponse({ type: FileDto })
  @ApiProblems(404)
  async get(@CurrentTenant() tenant: TenantPrincipal, @Param('id', FILE_ID) id: string): Promise<FileDto> {
    const file = await this.files.view(tenant.tenantId, id);
    if (!file) throw notFound('file');
    return file;
  }

  @Get(':id/content')
  @ApiParam({ name: 'id', format: 'uuid' })
  @RequireScopes('files:read')
  @ApiOperation({
    summary: "Download a ready file's bytes.",
    description:
      'Supports `Range` (one byte range: 206, or 416 past the end), `If-Range`, and `If-None-Match` against the ' +
      'strong `ETag`, which is the SHA-256 of the bytes (304). Always sent as an attachment.',
  })
  @ApiHeader({
    name: 'Range',
    required: false,
    description: 'e.g. `bytes=0-1023`, `bytes=1024-`, `bytes=-100`.',
  })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiHeader({ name: 'If-Range', required: false })
  @ApiFileContent(
    'The bytes, as the type the file was stored with (`Content-Type`), with `ETag`, `Content-Length`, ' +
      '`Content-Disposition` and `Accept-Ranges: bytes`.',
    'The requested range, with `Content-Range`.',
  )
  @ApiProblems(404, [409, 'The file is not ready (pending, processing, or failed).', 'fileNotReady'], 416)
  async content(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', FILE_ID) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.find(tenant, id);
    await sendContent(request, reply, { file, open: (range) => this.files.openContent(file, range) });
  }

  @Post(':id/links')
  @ApiParam({ name: 'id', format: 'uuid' })
  @RequireScopes('files:read')
  @ApiOperation({
    summary: 'Make a link that downloads the file without credentials until it expires.',
    description:
      'On S3 a presigned URL; on the local disk a signed `/v1/downloads/{token}` URL served by the api.',
  })
  @ApiCreatedResponse({ type: LinkDto })
  @ApiProblems(400, 404, [409, 'The file is not ready.', 'fileNotReady'])
  async link(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', FILE_ID) id: string,
    @Body() body: CreateLinkDto,
  ): Promise<LinkDto> {
    const link = await this.files.createLink(await this.find(tenant, id), body.expiresInSeconds);
    return { url: link.url, expiresAt: link.expiresAt.toISOString() };
  }

  @Post(':id/copy')
  @ApiParam({ name: 'id', format: 'uuid' })
  @RequireScopes('files:write')
  @ApiOperation({
    summary: 'Copy a ready file, server-side, into a bucket.',
    description:
      'A new `ready` file with the same bytes, sha256 and types, copied by the storage itself (S3 ' +
      "CopyObject / UploadPartCopy; a local file copy). The destination bucket's rules (415, 413) and the " +
      "tenant's quota (409) apply. Sends `file.copied`.",
  })
  @ApiCreatedResponse({
    type: FileDto,
    headers: { Location: { description: 'The copy: `/v1/files/{id}`.', schema: { type: 'string' } } },
  })
  @ApiProblems(
    400,
    [404, 'No such file, or no bucket of that name.'],
    [409, 'The file is not ready.', 'fileNotReady'],
    [409, "The copy would pass the tenant's storage quota.", 'quotaMaxBytes'],
    [409, "The copy would pass the tenant's file count quota.", 'quotaMaxFiles'],
    [413, "Larger than the destination bucket's `maxFileSizeBytes`."],
    [415, "A type the destination bucket's `allowedTypes` refuses."],
  )
  async copy(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', FILE_ID) id: string,
    @Body() body: CopyFileDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FileDto> {
    const copy = await this.intake.copy(await this.find(tenant, id), body);
    void reply.status(201).header('location', `/v1/files/${copy.id}`);
    return this.views.one(copy);
  }

  @Patch(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @RequireScopes('files:write')
  @ApiOperation({
    summary: 'Rename a file, move it to another bucket, or replace its metadata.',
    description:
      "Only what is sent changes. A move applies the new bucket's rules to the file as it is (415, 413). " +
      'Sends `file.updated`.',
  })
  @ApiOkResponse({ type: FileDto })
  @ApiProblems(400, [404, 'No such file, or no bucket of that name.'], 413, 415)
  async update(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', FILE_ID) id: string,
    @Body() body: UpdateFileDto,
  ): Promise<FileDto> {
    const file = await this.files.update(tenant.tenantId, id, body);
    if (!file) throw notFound('file');
    return this.views.one(file);
  }

  @Delete(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @HttpCode(204)
  @RequireScopes('files:write')
  @ApiOperation({ summary: 'Delete a file: later reads answer 404; the worker purges its bytes.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems(404)
  async remove(@CurrentTenant() tenant: TenantPrincipal, @Param('id', FILE_ID) id: string): Promise<void> {
    if (!(await this.files.delete(tenant.tenantId, id))) throw notFound('file');
  }

  private async find(tenant: TenantPrincipal, id: string): Promise<FileEntity> {
    const file = await this.files.get(tenant.tenantId, id);
    if (!file) throw notFound('file');
    return file;
  }
}
