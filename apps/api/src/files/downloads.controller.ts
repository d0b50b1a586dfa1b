import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FilesService } from '@depot/files';
import { DOWNLOADS_PATH } from '@depot/storage';
import { Public } from '../http/auth.decorators';
import { ApiFileContent } from '../http/openapi';
import { notFound } from '../http/problem';
import { ApiProblems } from '../http/problem.schema';
import { sendContent } from './content-response';

/** Serves the local disk's signed links (`POST /v1/files/{id}/links`): no Authorization header, the token is the grant. */
@ApiTags('files')
@Controller(DOWNLOADS_PATH)
export class DownloadsController {
  constructor(private readonly files: FilesService) {}

  @Get(':token')
  @Public()
  @ApiOperation({
    summary: 'Download a file through a signed link.',
    description: 'Needs no API key. Supports `Range`, `If-Range` and `If-None-Match` like the content route.',
  })
  @ApiParam({ name: 'token', description: 'The token of a link made by `POST /v1/files/{id}/links`.' })
  @ApiFileContent('The bytes, as the type the file was stored with (`Content-Type`).')
  @ApiProblems(
    [403, 'The link is expired, altered, or not a link at all.', 'invalidLink'],
    [404, 'The file has been deleted.'],
    416,
  )
  async download(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const grant = await this.files.resolveDownload(token);
    if (!grant) throw notFound('file');
    await sendContent(request, reply, grant);
  }
}
