export * from './entities/file.entity';
export * from './file.errors';
