export type {
  ByteRange,
  DirectoryEntry,
  Disk,
  DiskOperation,
  FileEntry,
  FileStat,
  ListEntry,
  ListOptions,
  ListPage,
  ListPageOptions,
  ReadStreamOptions,
  SignedUrlOptions,
  WriteBody,
  WriteOptions,
} from './disk.interface';
export {
  FileNotFoundError,
  InvalidMetadataError,
  InvalidPathError,
  InvalidRangeError,
  ReadOnlyDiskError,
  StorageError,
  type StorageErrorDetails,
  prematureClose,
} from './storage.errors';
export { BufferPool, sharedBuffers } from './buffer-pool';
export { DEFAULT_CONTENT_TYPE, MAX_KEY_BYTES, normalizeKey, normalizePrefix } from './disk.validation';

export { DriverDisk, type DriverDiskOptions } from './drivers/driver.disk';
export type { DriverListOptions, StorageDriver } from './drivers/storage-driver.interface';
export { flushFile, LocalDriver, type LocalDriverOptions, writeThrough } from './drivers/local.driver';
export { MemoryDriver } from './drivers/memory.driver';
// The S3 driver's values load with the AWS SDK, on first use: through loadS3Support().
export type { S3Driver, S3DriverOptions } from './drivers/s3.driver';
export type { S3DiskConfig } from './drivers/s3-client.factory';
export {
  diskAddress,
  loadS3Support,
  openDisk,
  probeDisk,
  storageDependency,
  type OpenedDisk,
} from './disk.factory';

export { ScopedDisk } from './wrappers/scoped.disk';
export { ReadOnlyDisk } from './wrappers/read-only.disk';
export { ObservedDisk, type DiskObserver, type DiskOperationEvent } from './wrappers/observed.disk';

export {
  ExpiredLinkError,
  InvalidLinkError,
  LinkSigner,
  type LinkClaims,
  type LinkSignerOptions,
  type SignedLink,
} from './links/link.signer';
export { DOWNLOADS_PATH, DownloadLinks } from './links/download-links';
export { contentDisposition } from './links/content-disposition';

export { StorageModule } from './storage.module';
export { type StorageModuleAsyncOptions, type StorageModuleOptions } from './storage.module-options';
export { StorageService, type ResolvedLink } from './storage.service';
export { StorageHealthIndicator } from './storage.health';
export { withDiskMetrics } from './storage.metrics';
