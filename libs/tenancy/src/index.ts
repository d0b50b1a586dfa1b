export * from './entities/api-key.entity';
export * from './entities/tenant.entity';
