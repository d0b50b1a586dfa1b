export * from './file-maintenance.module';
export * from './requeue-stuck.service';
export * from './retention-sweep.service';
export * from './usage-report.service';
export * from './upload-expiry.service';
