/**
 * The S3 driver and the AWS SDK under it, as one module that {@link loadS3Support} loads on
 * first use: a process whose disks are all local never loads the SDK (about 6 MB of heap
 * and a share of the boot's module compilation).
 */
export { S3Driver, type S3DriverOptions } from './s3.driver';
export { createS3Client, type S3DiskConfig } from './s3-client.factory';
