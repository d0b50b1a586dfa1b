import { Controller, Delete, Head, Options, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TenantPrincipal } from '@depot/tenancy';
import { CurrentTenant, RequireScopes } from '../http/auth.decorators';
import { ApiProblems } from '../http/problem.schema';
import { ResourceIdPipe } from '../http/resource-id.pipe';
import { sendTus, TusProtocolService, UPLOADS_PATH } from './tus-protocol.service';

const UPLOAD_ID = new ResourceIdPipe('upload');
const TUS_RESUMABLE = {
  name: 'Tus-Resumable',
  required: true,
  description: 'The tus protocol version: `1.0.0`.',
} as const;

/**
 * tus 1.0.0 resumable uploads. The routes only check who is asking and which upload they
 * may touch (another tenant's upload is a 404, exactly like a missing one); the protocol
 * is {@link TusProtocolService}'s.
 */
@ApiTags('uploads')
@Controller(UPLOADS_PATH.slice(1))
export class UploadsController {
  constructor(private readonly tus: TusProtocolService) {}

  @Options()
  @RequireScopes('files:write')
  @ApiOperation({
    summary: "The server's tus capabilities.",
    description:
      'Answers `Tus-Version: 1.0.0`, `Tus-Extension: creation,creation-with-upload,termination,expiration` ' +
      'and `Tus-Max-Size` (= `files.maxSizeBytes`). Browsers’ CORS preflights are answered before ' +
      'this, without a key, when `api.cors.origins` is set.',
  })
  @ApiResponse({ status: 204, description: 'The capabilities, in headers.' })
  async options(
    @CurrentTenant() tenant: TenantPrincipal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendTus(reply, await this.tus.handle(request, tenant.tenantId));
  }

  @Post()
  @RequireScopes('files:write')
  @ApiOperation({
    summary: 'Start a resumable upload (tus creation, creation-with-upload).',
    description:
      'Send `Upload-Length` and `Upload-Metadata` (base64 values: `filename` or `name`, `filetype` or `type`, ' +
      'optionally `expiresAt`); with `Content-Type: application/offset+octet-stream` the body is the first ' +
      'bytes. The upload URL in `Location` is `/v1/uploads/{id}`, where `id` is the id of the file, which ' +
      'shows status `uploading` until its last byte and then goes on like a multipart upload.',
  })
  @ApiHeader(TUS_RESUMABLE)
  @ApiHeader({ name: 'Upload-Length', required: true, description: 'The whole upload, in bytes.' })
  @ApiHeader({
    name: 'Upload-Metadata',
    required: false,
    description:
      'Comma-separated `key base64(value)` pairs: `filename`/`name`, `filetype`/`type`, `expiresAt`.',
  })
  @ApiResponse({
    status: 201,
    description:
      'Created: `Location: /v1/uploads/{id}`, `Upload-Expires`, and `Upload-Offset` if a body was sent.',
  })
  @ApiProblems(
    [400, 'A missing or invalid `Upload-Length`, malformed `Upload-Metadata` or `expiresAt`.'],
    [412, 'No `Tus-Resumable: 1.0.0`.'],
    [413, '`Upload-Length` is above `files.maxSizeBytes`.'],
    [415, 'The declared type is refused by `files.allowedTypes` / `files.deniedTypes`.'],
  )
  async create(
    @CurrentTenant() tenant: TenantPrincipal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const answer = await this.tus.handle(request, tenant.tenantId);
    sendTus(reply, answer);
    await this.tus.recordProgress(answer);
  }

  @Head(':id')
  @RequireScopes('files:write')
  @ApiParam({ name: 'id', format: 'uuid', description: 'The file id (the last segment of `Location`).' })
  @ApiOperation({ summary: "An upload's offset: `Upload-Offset`, `Upload-Length`, `Upload-Expires`." })
  @ApiHeader(TUS_RESUMABLE)
  @ApiResponse({ status: 200, description: 'The offset, in headers.' })
  @ApiProblems([404, 'No such unfinished upload (or another tenant’s).'], [410, 'The upload expired.'])
  async offset(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', UPLOAD_ID) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendTus(reply, await this.tus.handle(request, tenant.tenantId, await this.tus.find(tenant.tenantId, id)));
  }

  @Patch(':id')
  @RequireScopes('files:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Append bytes at `Upload-Offset` (body `application/offset+octet-stream`).',
    description:
      'One request writes to an upload at a time, across every api process: another one waits up to ' +
      '`uploads.lockWaitMs`, then gets 423 (tus clients retry). After the last byte the file is `pending`.',
  })
  @ApiHeader(TUS_RESUMABLE)
  @ApiHeader({ name: 'Upload-Offset', required: true, description: 'Where these bytes start.' })
  @ApiResponse({ status: 204, description: 'Written: the new `Upload-Offset`.' })
  @ApiProblems(
    [403, 'No `Content-Type: application/offset+octet-stream` or `Upload-Offset` (tus), or a missing scope.'],
    [404, 'No such unfinished upload (or another tenant’s).'],
    [409, '`Upload-Offset` is not the upload’s offset.'],
    [410, 'The upload expired.'],
    [413, 'The bytes go past `Upload-Length`.'],
    [423, 'Another request is writing to this upload; retry.'],
  )
  async append(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', UPLOAD_ID) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const answer = await this.tus.handle(request, tenant.tenantId, await this.tus.find(tenant.tenantId, id));
    sendTus(reply, answer);
    // After the answer: the client's next PATCH need not wait for this bookkeeping.
    await this.tus.recordProgress(answer);
  }

  @Delete(':id')
  @RequireScopes('files:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Terminate an unfinished upload: its bytes and its file are removed.' })
  @ApiHeader(TUS_RESUMABLE)
  @ApiResponse({ status: 204, description: 'Terminated.' })
  @ApiProblems([404, 'No such unfinished upload (or another tenant’s).'])
  async terminate(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', UPLOAD_ID) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.tus.find(tenant.tenantId, id);
    const answer = await this.tus.handle(request, tenant.tenantId, file);
    await this.tus.terminated(file);
    sendTus(reply, answer);
  }
}
