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
  Max,
  Min,
} from 'class-validator';

export class CreateUploadLinkDto {
  @ApiPropertyOptional({
    description: "The file's name, instead of the one the uploader sends.",
    maxLength: 255,
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  name?: string;

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
