export { ApiKeyAuthenticator } from './api-key.authenticator';
export { ApiKeyCache } from './api-key.cache';
export { secretsEqual } from './api-key.token';
export { ApiKeysService } from './api-keys.service';
export { API_KEY_SCOPES, ApiKeyEntity, type ApiKeyScope } from './entities/api-key.entity';
export { TenantEntity } from './entities/tenant.entity';
export { hasScopes, type Principal, type TenantPrincipal } from './principal';
export { TenancyModule } from './tenancy.module';
export { TenantsService } from './tenants.service';
