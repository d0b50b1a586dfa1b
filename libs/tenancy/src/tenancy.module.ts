import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { ApiKeyCache } from './api-key.cache';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyEntity } from './entities/api-key.entity';
import { TenantEntity } from './entities/tenant.entity';
import { TenantsService } from './tenants.service';

/** Tenants, their API keys, and authentication of bearer tokens. */
@Module({
  imports: [ConfigModule, DatabaseModule, TypeOrmModule.forFeature([TenantEntity, ApiKeyEntity])],
  providers: [TenantsService, ApiKeysService, ApiKeyAuthenticator, ApiKeyCache],
  exports: [TenantsService, ApiKeysService, ApiKeyAuthenticator],
})
export class TenancyModule {}
