import { Body, Controller, Delete, Head, Param, Patch, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FileEntity, FileViewsService, UPLOAD_LINKS_PATH, UploadLinksService } from '@depot/files';
import type { TenantPrincipal } from '@depot/tenancy';
import { CurrentTenant, Public, RequireScopes } from '../http/auth.decorators';
import { ApiProblems } from '../http/problem.schema';
import { ResourceIdPipe } from '../http/resource-id.pipe';
import { FileUploads } from '../files/file-uploads';
import { FileDto, UploadFileDto } from '../files/files.dto';
import { sendTus, TusProtocolService } from './tus-protocol.service';
import { CreateUploadLinkDto, UploadLinkDto } from './upload-links.dto';

const UPLOAD_ID = new ResourceIdPipe('upload');

/**
 * Upload links: a tenant hands out a URL that lets anyone holding it upload one file into
 * the tenant without an API key (a browser app that must not hold one).
 */
@ApiTags('uploads')
@Controller(UPLOAD_LINKS_PATH)
export class UploadLinksController {
  constructor(
    private readonly links: UploadLinksService,
    private readonly uploads: FileUploads,
    private readonly tus: TusProtocolService,
    private readonly views: FileViewsService,
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
      bucket: body.bucket,
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
    summary: 'Upload one file through a link (no Authorization): multipart, or a tus creation.',
    description:
      'As `POST /v1/files`, into the tenant that made the link and within its constraints. The link ' +
      'works once: a refused upload (400, 413, 415) leaves it usable. With `Tus-Resumable: 1.0.0` it is ' +
      'a tus creation instead (use the link `url` as a tus client’s `endpoint`): 201 with ' +
      '`Location: /v1/upload-links/{token}/{id}`, the upload URL for the rest of that upload.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadFileDto })
  @ApiCreatedResponse({ type: FileDto, description: 'The file (multipart); for tus, headers only.' })
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
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (request.headers['tus-resumable'] !== undefined) {
      const answer = await this.links.begin(
        token,
        (grant) => this.tus.handle(request, grant.tenantId, undefined, grant),
        (created) => created.file?.id,
      );
      const id = answer.file!.id;
      sendTus(reply, {
        ...answer,
        headers: { ...answer.headers, location: `/${UPLOAD_LINKS_PATH}/${token}/${id}` },
      });
      await this.tus.recordProgress(answer);
      return;
    }
    const { file, bucket } = await this.links.use(token, (grant) =>
      this.uploads.upload(request, grant.tenantId, {
        limits: grant.limits,
        bucket: grant.bucket,
        overrides: { fileName: grant.fileName, expiresAt: grant.expiresAt },
      }),
    );
    void reply
      .status(201)
      .header('location', `/v1/files/${file.id}`)
      .send(bucket ? this.views.inBucket(file, bucket) : await this.views.one(file));
  }

  @Head(':token/:id')
  @Public()
  @ApiParam({ name: 'token' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'The offset of a tus upload started through a link (as `HEAD /v1/uploads/{id}`).',
  })
  @ApiResponse({ status: 200, description: 'The offset, in headers.' })
  @ApiProblems([403, 'The link did not start this upload.'], [404, 'No such unfinished upload.'])
  async offset(
    @Param('token') token: string,
    @Param('id', UPLOAD_ID) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { tenantId, file } = await this.linkedUpload(token, id);
    sendTus(reply, await this.tus.handle(request, tenantId, file));
  }

  @Patch(':token/:id')
  @Public()
  @ApiParam({ name: 'token' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Append to a tus upload started through a link (as `PATCH /v1/uploads/{id}`).' })
  @ApiResponse({ status: 204, description: 'Written: the new `Upload-Offset`.' })
  @ApiProblems(
    [403, 'The link did not start this upload.'],
    [404, 'No such unfinished upload.'],
    [409, '`Upload-Offset` is not the upload’s offset.'],
    [423, 'Another request is writing to this upload; retry.'],
  )
  async append(
    @Param('token') token: string,
    @Param('id', UPLOAD_ID) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { tenantId, file } = await this.linkedUpload(token, id);
    const answer = await this.tus.handle(request, tenantId, file);
    sendTus(reply, answer);
    await this.tus.recordProgress(answer);
  }

  @Delete(':token/:id')
  @Public()
  @ApiParam({ name: 'token' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Terminate a tus upload started through a link.' })
  @ApiResponse({ status: 204, description: 'Terminated.' })
  @ApiProblems([403, 'The link did not start this upload.'], [404, 'No such unfinished upload.'])
  async terminate(
    @Param('token') token: string,
    @Param('id', UPLOAD_ID) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { tenantId, file } = await this.linkedUpload(token, id);
    const answer = await this.tus.handle(request, tenantId, file);
    await this.tus.terminated(file);
    sendTus(reply, answer);
  }

  /**
   * The upload a link's tus request is about, and its tenant: one the link started (else
   * 403) and still unfinished (else 404).
   */
  private async linkedUpload(token: string, id: string): Promise<{ tenantId: string; file: FileEntity }> {
    const tenantId = await this.links.resumableTenant(token, id);
    return { tenantId, file: await this.tus.find(tenantId, id) };
  }
}
