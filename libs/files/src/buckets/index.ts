export * from './bucket.entity';
export * from './bucket-rules';
export * from './buckets.service';
