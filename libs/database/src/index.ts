export * from './data-source.options';
export * from './database.module';
export * from './snake-naming.strategy';
export * from './transaction.runner';
export * from './database.admin';
export * from './database.health';
export * from './database.probe';
export * from './keyset-pagination';
