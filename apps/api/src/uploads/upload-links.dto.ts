import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { BUCKET_NAME } from '@depot/files';

export class CreateUploadLinkDto {
  @ApiPropertyOptional({
    description: "The file's name, instead of the one the uploader sends.",
    maxLength: 255,
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  name?: string;

  @ApiPropertyOptional({
    description:
      'The bucket the file goes into (it must exist; its rules apply too); `default` when left out.',
    example: 'avatars',
  })
  @IsOptional()
  @Matches(BUCKET_NAME, { message: 'bucket must be 2 to 63 lowercase letters, digits or hyphens' })
  bucket?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'At most `files.maxSizeBytes`.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxSizeBytes?: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['image/*', 'application/pdf'],
    description: 'Types the file may declare (`type/subtype` or `type/*`), within `files.allowedTypes`.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(3, 255, { each: true })
  allowedTypes?: string[];

  @ApiPropertyOptional({ type: 'string', format: 'date-time', description: "The file's `expiresAt`." })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  fileExpiresAt?: Date;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'The file expires this many seconds after its upload (instead of `fileExpiresAt`).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10 * 365 * 24 * 3600)
  fileExpiresInSeconds?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description:
      'Seconds the link works: default `uploads.linkTtlSeconds.default` (1 h), at most `uploads.linkTtlSeconds.max` (7 days).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expiresInSeconds?: number;
}

export class UploadLinkDto {
  @ApiProperty({
    description:
      'POST one multipart `file` here, with no Authorization header, once. The token in it is shown only now.',
  })
  url!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}
