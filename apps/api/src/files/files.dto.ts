import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { FILE_STATUSES, type FileStatus, type FileView } from '@depot/files';
import { PageQueryDto } from '../http/pagination.dto';

const LISTABLE_STATUSES = FILE_STATUSES.filter((status) => status !== 'deleted');
type ListableStatus = Exclude<FileStatus, 'deleted'>;

/** The contract's File. */
export class FileDto implements FileView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The uploaded file name, made safe (no path, no control characters).' })
  name!: string;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Bytes (for a resumable upload, its declared `Upload-Length`); confirmed by processing.',
  })
  size!: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description:
      'Bytes received so far; below `size` only while a resumable upload is `uploading` (see `/v1/uploads`).',
  })
  receivedBytes!: number | null;

  @ApiProperty({ description: 'The type the uploader declared.', example: 'application/pdf' })
  contentType!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'The type sniffed from the bytes once processed; null when they name none (e.g. plain text).',
  })
  detectedType!: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Hex SHA-256 of the bytes, once processed.' })
  sha256!: string | null;

  @ApiProperty({ enum: FILE_STATUSES })
  status!: FileStatus;

  @ApiProperty({ type: 'string', nullable: true, description: 'Why processing failed, when it did.' })
  failureReason!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  expiresAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class FilePageDto {
  @ApiProperty({ type: [FileDto] })
  items!: FileDto[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last.',
  })
  nextCursor!: string | null;
}

export class ListFilesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LISTABLE_STATUSES, description: 'Only files in this status.' })
  @IsOptional()
  @IsIn(LISTABLE_STATUSES)
  status?: ListableStatus;
}

/** Documents the multipart body; the upload itself is read as a stream, not through a DTO. */
export class UploadFileDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The file (exactly one).' })
  file!: unknown;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    description: 'When the file is deleted automatically (a future time); leave it out to keep the file.',
    // Without an example, Swagger UI fills the form with the current time, already past when sent.
    example: '',
  })
  expiresAt?: string;
}

export class CreateLinkDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description:
      'Seconds the link works; default `files.linkTtlSeconds.default`, at most `files.linkTtlSeconds.max`.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expiresInSeconds?: number;
}

export class LinkDto {
  @ApiProperty({ description: 'Downloads the file with no Authorization header until it expires; then 403.' })
  url!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}
