import { resolve } from 'node:path';
import type { DiskConfig, StorageConfig } from '@depot/config';
import type { Disk } from './disk.interface';
import { DriverDisk } from './drivers/driver.disk';
import { LocalDriver } from './drivers/local.driver';
import { MemoryDriver } from './drivers/memory.driver';
import type * as S3Support from './drivers/s3';
import type { DownloadLinks } from './links/download-links';
import type { Dependency } from '@depot/observability';

/** A disk built from config, and how to release what it holds (the S3 client's sockets). */
export interface OpenedDisk {
  disk: Disk;
  close(): void;
}

/**
 * The S3 driver and the AWS SDK, loaded the first time an s3 disk is opened (then cached by
 * the module system). Processes whose disks are all local never load the SDK.
 */
export function loadS3Support(): typeof S3Support {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy, see above
  return require('./drivers/s3') as typeof S3Support;
}

/** Builds the disk a `storage.disks.<name>` entry describes. Nothing is contacted until it is used. */
export function openDisk(name: string, config: DiskConfig, links?: DownloadLinks): OpenedDisk {
  switch (config.driver) {
    case 'local':
      return {
        disk: new DriverDisk(name, new LocalDriver({ root: config.root }), { links }),
        close: () => {},
      };
    case 'memory':
      return { disk: new DriverDisk(name, new MemoryDriver(), { links }), close: () => {} };
    case 's3': {
      const { createS3Client, S3Driver } = loadS3Support();
      const client = createS3Client(config);
      const driver = new S3Driver({ client, bucket: config.bucket, endpoint: config.endpoint });
      return { disk: new DriverDisk(name, driver), close: () => client.destroy() };
    }
  }
}

/** Where a disk keeps its bytes, for messages: a folder, a bucket and its endpoint, or memory. */
export function diskAddress(config: DiskConfig): string {
  switch (config.driver) {
    case 'local':
      return resolve(config.root);
    case 's3':
      return `s3://${config.bucket} (${config.endpoint ?? `AWS ${config.region}`})`;
    case 'memory':
      return 'memory';
  }
}

/**
 * Opens a disk, checks that it can be used and lets it go: the boot preflight. Throws the
 * {@link StorageError} of {@link Disk.check}, whose `hint` tells an operator what to do.
 */
export async function probeDisk(name: string, config: DiskConfig): Promise<void> {
  const { disk, close } = openDisk(name, config);
  try {
    await disk.check();
  } finally {
    close();
  }
}

/** The default disk as a boot dependency of an app (see `runApp` in @depot/runtime). */
export function storageDependency(config: StorageConfig): Dependency {
  const disk = config.disks[config.default];
  if (!disk) throw new Error(`storage.default names no disk: "${config.default}"`);
  return { name: 'storage', address: diskAddress(disk), probe: () => probeDisk(config.default, disk) };
}
