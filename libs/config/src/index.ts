export * from './config.error';
export * from './config.loader';
export * from './config.module';
export * from './config.redact';
export * from './config.schema';
export * from './config.sections';
export * from './config.state';
export * from './config.safety';
