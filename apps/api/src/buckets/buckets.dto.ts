import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { BUCKET_NAME, type BucketEntity, type BucketSettings } from '@depot/files';

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/** Settings a bucket is created with, or changed to (PATCH: only those sent change). */
export class BucketSettingsDto implements BucketSettings {
  @ApiPropertyOptional({
    type: [String],
    example: ['image/*', 'application/pdf'],
    description:
      'Types `type/subtype` or `type/*` the bucket takes; empty: any type `files.allowedTypes` takes.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  allowedTypes?: string[];

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    description: 'The largest file the bucket takes, at most `files.maxSizeBytes`; null: that limit.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  maxFileSizeBytes?: number | null;

  @ApiPropertyOptional({ description: 'Files are readable without a key at their `publicUrl`.' })
  @IsOptional()
  @IsBoolean()
  public?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: ONE_YEAR_SECONDS,
    description: '`Cache-Control: public, max-age=` of public reads (default 3600).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(ONE_YEAR_SECONDS)
  cacheMaxAgeSeconds?: number;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 36500,
    description: 'Files uploaded without `expiresAt` expire this many days after upload; null: kept.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(36500)
  retentionDays?: number | null;
}

export class CreateBucketDto extends BucketSettingsDto {
  @ApiProperty({ pattern: BUCKET_NAME.source, example: 'avatars' })
  @Matches(BUCKET_NAME, { message: 'name must be 2 to 63 lowercase letters, digits or hyphens' })
  name!: string;
}

export class UpdateBucketDto extends BucketSettingsDto {}

export class DeleteBucketQueryDto {
  @ApiPropertyOptional({
    description: 'Delete its files too, through the normal delete path (webhooks, purge).',
    default: false,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  force?: boolean;
}

export class BucketDto {
  @ApiProperty({ example: 'avatars' })
  name!: string;

  @ApiProperty({ type: [String] })
  allowedTypes!: string[];

  @ApiProperty({ type: 'integer', nullable: true })
  maxFileSizeBytes!: number | null;

  @ApiProperty()
  public!: boolean;

  @ApiProperty({ type: 'integer' })
  cacheMaxAgeSeconds!: number;

  @ApiProperty({ type: 'integer', nullable: true })
  retentionDays!: number | null;

  @ApiProperty({ type: 'integer', description: 'Bytes its files hold (uploads in flight included).' })
  bytes!: number;

  @ApiProperty({ type: 'integer', description: 'Files it holds (not deleted).' })
  files!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(bucket: BucketEntity): BucketDto {
    return {
      name: bucket.name,
      allowedTypes: bucket.allowedTypes,
      maxFileSizeBytes: bucket.maxFileSizeBytes,
      public: bucket.public,
      cacheMaxAgeSeconds: bucket.cacheMaxAgeSeconds,
      retentionDays: bucket.retentionDays,
      bytes: bucket.usedBytes,
      files: bucket.usedFiles,
      createdAt: bucket.createdAt.toISOString(),
      updatedAt: bucket.updatedAt.toISOString(),
    };
  }
}

export class BucketListDto {
  @ApiProperty({ type: [BucketDto] })
  items!: BucketDto[];
}

export class QuotaDto {
  @ApiProperty({ type: 'integer', nullable: true, description: 'Null: no cap.' })
  maxBytes!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Null: no cap.' })
  maxFiles!: number | null;
}

export class BucketUsageDto {
  @ApiProperty()
  name!: string;

  @ApiProperty({ type: 'integer' })
  bytes!: number;

  @ApiProperty({ type: 'integer' })
  files!: number;
}

export class UsageDto {
  @ApiProperty({ type: 'integer', description: 'Bytes held: files not deleted, uploads in flight included.' })
  bytes!: number;

  @ApiProperty({ type: 'integer' })
  files!: number;

  @ApiProperty({ type: QuotaDto })
  quota!: QuotaDto;

  @ApiProperty({ type: [BucketUsageDto] })
  buckets!: BucketUsageDto[];
}
