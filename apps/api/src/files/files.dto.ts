import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  isIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  matches,
  MaxLength,
  maxLength,
  Min,
  MinLength,
  minLength,
} from 'class-validator';
import { BUCKET_NAME, FILE_STATUSES, type FileStatus, type FileView } from '@depot/files';
import { PageQueryDto } from '../http/pagination.dto';
import type { QuickQueryDto } from '../http/validation.pipe';

const LISTABLE_STATUSES = FILE_STATUSES.filter((status) => status !== 'deleted');
type ListableStatus = Exclude<FileStatus, 'deleted'>;

/** The contract's File. */
export class FileDto implements FileView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'default',
    description: "The bucket's name; null only for a deleted file whose bucket was deleted since.",
  })
  bucket!: string | null;

  @ApiProperty({
    description:
      'The uploaded file name, made safe (no control characters, no backslashes); `/` may separate folders.',
  })
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

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { customer: 'c-42' },
    description: "The client's own string values (at most 64 keys, 8 KiB as JSON).",
  })
  metadata!: Record<string, string>;

  @ApiPropertyOptional({
    format: 'uri',
    description: 'In a public bucket only: reads the file with no key (`GET`, cacheable).',
  })
  publicUrl?: string;

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

  @ApiPropertyOptional({ description: 'Only files of this bucket.', example: 'default' })
  @IsOptional()
  @Matches(BUCKET_NAME, { message: 'bucket must be 2 to 63 lowercase letters, digits or hyphens' })
  bucket?: string;

  @ApiPropertyOptional({ description: 'Only files whose name starts with this (e.g. `invoices/2026/`).' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  prefix?: string;

  @ApiPropertyOptional({ description: 'Only files whose name contains this, ignoring case.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  q?: string;

  /** See {@link QuickQueryDto}: the same constraints as the decorators above, as plain checks. */
  static quick(query: Readonly<Record<string, unknown>>): ListFilesQueryDto | undefined {
    const dto = new ListFilesQueryDto();
    for (const [name, value] of Object.entries(query)) {
      if (typeof value !== 'string') return undefined;
      switch (name) {
        case 'status':
          if (!isIn(value, LISTABLE_STATUSES)) return undefined;
          dto.status = value as ListableStatus;
          break;
        case 'bucket':
          if (!matches(value, BUCKET_NAME)) return undefined;
          dto.bucket = value;
          break;
        case 'prefix':
        case 'q':
          if (!minLength(value, 1) || !maxLength(value, 255)) return undefined;
          dto[name] = value;
          break;
        default:
          if (!dto.quickField(name, value)) return undefined;
      }
    }
    return dto;
  }
}

ListFilesQueryDto satisfies QuickQueryDto<ListFilesQueryDto>;

export class UploadQueryDto {
  @ApiPropertyOptional({
    description: 'The bucket to upload into; `default` when left out.',
    example: 'default',
  })
  @IsOptional()
  @Matches(BUCKET_NAME, { message: 'bucket must be 2 to 63 lowercase letters, digits or hyphens' })
  bucket?: string;

  /**
   * See {@link QuickQueryDto}: the same constraint as the decorators above, as a plain check.
   * Every upload passes here; class-transformer and class-validator were 3 to 4 % of the
   * api's samples under many small uploads (bench/api-small-uploads.bench.ts).
   */
  static quick(query: Readonly<Record<string, unknown>>): UploadQueryDto | undefined {
    const dto = new UploadQueryDto();
    for (const [name, value] of Object.entries(query)) {
      if (name !== 'bucket' || typeof value !== 'string' || !matches(value, BUCKET_NAME)) return undefined;
      dto.bucket = value;
    }
    return dto;
  }
}

UploadQueryDto satisfies QuickQueryDto<UploadQueryDto>;

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

  @ApiPropertyOptional({
    type: 'string',
    description:
      'A JSON object of string values (at most 64 keys, 8 KiB), before or after the file, e.g. `{"customer":"c-42"}`.',
    // Empty, as for expiresAt: a filled-in example would be sent by the form's "Try it out".
    example: '',
  })
  metadata?: string;

  @ApiPropertyOptional({
    description:
      "The file's name instead of the file part's; `/` separates folders (`invoices/2026/a.pdf`), which `prefix` lists.",
    example: '',
  })
  name?: string;
}

export class CopyFileDto {
  @ApiPropertyOptional({
    description: "The bucket to copy into; the file's own when left out.",
    example: 'archive',
  })
  @IsOptional()
  @Matches(BUCKET_NAME, { message: 'bucket must be 2 to 63 lowercase letters, digits or hyphens' })
  bucket?: string;

  @ApiPropertyOptional({
    description: "The copy's name (`/` separates folders); the file's own when left out.",
  })
  @IsOptional()
  @IsString()
  name?: string;
}

export class UpdateFileDto {
  @ApiPropertyOptional({ description: 'A new name (`/` separates folders).', example: 'invoices/2026/a.pdf' })
  @IsOptional()
  @IsString()
  name?: string;

  @ApiPropertyOptional({
    description: 'Moves the file to this bucket; its rules apply to the file as it is (415, 413).',
    example: 'archive',
  })
  @IsOptional()
  @Matches(BUCKET_NAME, { message: 'bucket must be 2 to 63 lowercase letters, digits or hyphens' })
  bucket?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Replaces the metadata as a whole (at most 64 keys, 8 KiB as JSON).',
    example: { customer: 'c-42' },
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, string>;
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
