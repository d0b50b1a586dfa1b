export * from './entities/file.entity';
