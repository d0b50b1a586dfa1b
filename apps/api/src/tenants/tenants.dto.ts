import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyEntity, type ApiKeyScope, type TenantEntity } from '@depot/tenancy';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateTenantDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Acme Corp' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class TenantQuotaDto {
  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    description: 'The most bytes the tenant may hold; null: no cap.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  maxBytes?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    description: 'The most files the tenant may hold; null: no cap.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  maxFiles?: number | null;
}

export class UpdateTenantDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Acme Corp' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: TenantQuotaDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TenantQuotaDto)
  quota?: TenantQuotaDto;
}

export class TenantDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: TenantQuotaDto, description: 'Null caps are no caps.' })
  quota!: { maxBytes: number | null; maxFiles: number | null };

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static from(tenant: TenantEntity): TenantDto {
    return {
      id: tenant.id,
      name: tenant.name,
      quota: { maxBytes: tenant.quotaMaxBytes ?? null, maxFiles: tenant.quotaMaxFiles ?? null },
      createdAt: tenant.createdAt.toISOString(),
    };
  }
}

export class TenantPageDto {
  @ApiProperty({ type: [TenantDto] })
  items!: TenantDto[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last.',
  })
  nextCursor!: string | null;
}

export class CreateApiKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'ci uploader' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    enum: API_KEY_SCOPES,
    isArray: true,
    minItems: 1,
    description: 'What the key may do. Required: a key gets only the scopes asked for, never a default.',
    example: ['files:read', 'files:write'],
  })
  @IsArray()
  @ArrayNotEmpty({ message: 'scopes must name at least one scope' })
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true, message: `each scope must be one of ${API_KEY_SCOPES.join(', ')}` })
  scopes!: ApiKeyScope[];
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  scopes!: ApiKeyScope[];

  @ApiProperty({ description: 'The visible start of the key, to recognise it.', example: 'dpk_3f9a0c2e71b4' })
  prefix!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'To the minute.' })
  lastUsedAt!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  revokedAt!: string | null;

  static from(key: ApiKeyEntity): ApiKeyDto {
    return {
      id: key.id,
      name: key.name,
      scopes: key.scopes,
      prefix: key.prefix,
      createdAt: key.createdAt.toISOString(),
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      revokedAt: key.revokedAt?.toISOString() ?? null,
    };
  }
}

export class CreatedApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  scopes!: ApiKeyScope[];

  @ApiProperty({ example: 'dpk_3f9a0c2e71b4' })
  prefix!: string;

  @ApiProperty({
    description: 'The key. Shown only in this response: store it now, Depot keeps only its hash.',
    example: 'dpk_3f9a0c2e71b4_q3Jv0m8x0aZk9hC1yGf2Lr7uPz4Tn6Wb5Ds8Ke1Qo2M',
  })
  key!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] })
  items!: ApiKeyDto[];
}
