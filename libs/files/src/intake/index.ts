export * from './disk-chunk-store';
export * from './expires-at';
export * from './file-intake.service';
export * from './upload-lock';
export * from './upload-store';
export * from './upload.metrics';
