export * from './api-key.authenticator';
export * from './api-key.token';
export * from './api-keys.service';
export * from './entities/api-key.entity';
export * from './entities/tenant.entity';
export * from './principal';
export * from './tenancy.module';
export * from './tenants.service';
