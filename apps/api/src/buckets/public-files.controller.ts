import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FilesService, PUBLIC_FILES_PATH } from '@depot/files';
import { sendContent } from '../files/content-response';
import { Public } from '../http/auth.decorators';
import { ApiFileContent } from '../http/openapi';
import { notFound } from '../http/problem';
import { ApiProblems } from '../http/problem.schema';
import { ResourceIdPipe } from '../http/resource-id.pipe';

/**
 * The `publicUrl` of files in public buckets: no key, cacheable by browsers and CDNs for
 * the bucket's `cacheMaxAgeSeconds`. Every request checks the file and its bucket, so a
 * delete or a bucket made private ends it at once here (a CDN in front keeps its copy up
 * to that lifetime; see the runbook).
 */
@ApiTags('buckets')
@Controller(PUBLIC_FILES_PATH)
export class PublicFilesController {
  constructor(private readonly files: FilesService) {}

  @Get(':id')
  @Public()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Read a file of a public bucket, with no key.',
    description:
      "`Cache-Control: public, max-age=<the bucket's cacheMaxAgeSeconds>`; `ETag`, `Range`, `If-Range` and " +
      '`If-None-Match` as on the content route. 404 for anything else: a private bucket, a deleted or unready file.',
  })
  @ApiFileContent('The bytes, as the type the file was stored with.')
  @ApiProblems(404, 416)
  async read(
    @Param('id', new ResourceIdPipe('file')) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const found = await this.files.findPublic(id);
    if (!found) throw notFound('file');
    const { file, cacheMaxAgeSeconds } = found;
    await sendContent(request, reply, {
      file,
      open: (range) => this.files.openContent(file, range),
      cacheControl: `public, max-age=${cacheMaxAgeSeconds}`,
    });
  }
}
