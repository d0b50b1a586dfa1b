import type { Readable } from 'node:stream';
import type {
  Disk,
  DiskOperation,
  FileStat,
  ListEntry,
  ListOptions,
  ListPage,
  ListPageOptions,
  ReadStreamOptions,
  SignedUrlOptions,
  WriteBody,
  WriteOptions,
} from '../disk.interface';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate } from '../disk.listing';
import { checkRange, normalizeKey, normalizePrefix, normalizeWriteOptions } from '../disk.validation';
import type { DownloadLinks } from '../links/download-links';
import { describeError, FileNotFoundError, InvalidPathError, StorageError } from '../storage.errors';
import type { StorageDriver } from './storage-driver.interface';

/** The operations where a missing key is the caller's problem; elsewhere it is a plain failure. */
const NOT_FOUND_OPERATIONS: ReadonlySet<DiskOperation> = new Set([
  'read',
  'readStream',
  'scan',
  'stat',
  'copy',
  'move',
]);

export interface DriverDiskOptions {
  /** Signed links served by the api, for drivers that cannot presign URLs themselves. */
  links?: DownloadLinks;
}

/**
 * A {@link Disk} over a {@link StorageDriver}: every key is normalised and checked here,
 * before the driver sees it, and every driver error leaves as a typed storage error.
 */
export class DriverDisk implements Disk {
  constructor(
    readonly name: string,
    private readonly driver: StorageDriver,
    private readonly options: DriverDiskOptions = {},
  ) {}

  async write(key: string, body: WriteBody, options?: WriteOptions): Promise<void> {
    const path = this.key(key, 'write');
    const normalized = normalizeWriteOptions(path, options);
    await this.run('write', path, () => this.driver.write(path, body, normalized));
  }

  async read(key: string): Promise<Buffer> {
    const path = this.key(key, 'read');
    return this.run('read', path, () => this.driver.read(path));
  }

  async readStream(key: string, options: ReadStreamOptions = {}): Promise<Readable> {
    const path = this.key(key, 'readStream');
    checkRange(path, options.range);
    return this.run('readStream', path, () => this.driver.readStream(path, options.range));
  }

  async scan(key: string, buffer: Buffer): Promise<AsyncIterable<Buffer>> {
    const path = this.key(key, 'scan');
    return this.run<AsyncIterable<Buffer>>('scan', path, () =>
      this.driver.scan ? this.driver.scan(path, buffer) : this.driver.readStream(path, undefined),
    );
  }

  async exists(key: string): Promise<boolean> {
    const path = this.key(key, 'exists');
    return this.run('exists', path, () => this.driver.exists(path));
  }

  async stat(key: string): Promise<FileStat> {
    const path = this.key(key, 'stat');
    return this.run('stat', path, () => this.driver.stat(path));
  }

  async copy(from: string, to: string): Promise<void> {
    const [source, target] = [this.key(from, 'copy'), this.key(to, 'copy')];
    await this.run('copy', source, () =>
      source === target ? this.mustExist(source) : this.driver.copy(source, target),
    );
  }

  async move(from: string, to: string): Promise<void> {
    const [source, target] = [this.key(from, 'move'), this.key(to, 'move')];
    await this.run('move', source, () =>
      source === target ? this.mustExist(source) : this.driver.move(source, target),
    );
  }

  async remove(key: string): Promise<void> {
    const path = this.key(key, 'remove');
    await this.run('remove', path, () => this.driver.remove(path));
  }

  async removePrefix(prefix: string): Promise<void> {
    const path = this.prefix(prefix, 'removePrefix');
    await this.run('removePrefix', path, () => this.driver.removePrefix(path));
  }

  list(prefix?: string, options?: ListOptions): AsyncIterable<ListEntry> {
    return paginate(this, prefix, options);
  }

  async listPage(prefix = '', options: ListPageOptions = {}): Promise<ListPage> {
    const path = this.prefix(prefix, 'listPage');
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
    const deep = options.deep ?? false;
    return this.run('listPage', path, () =>
      this.driver.listPage(path, { deep, limit, cursor: options.cursor }),
    );
  }

  async signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
    const path = this.key(key, 'signedUrl');
    const {
      driver,
      options: { links },
    } = this;
    return this.run('signedUrl', path, async () => {
      if (driver.signedUrl) return driver.signedUrl(path, options);
      if (links) return links.url(this.name, path, options);
      throw new Error(`disk "${this.name}" has no signing secret and public URL to sign links with`);
    });
  }

  async check(): Promise<void> {
    try {
      await this.driver.check();
    } catch (error) {
      const { location, hint } = this.driver;
      throw new StorageError(
        { operation: 'check', cause: error, hint },
        `${location} is not usable: ${describeError(error)}`,
      );
    }
  }

  private key(key: string, operation: DiskOperation): string {
    const path = normalizeKey(key, operation);
    this.refuseReserved(path, operation);
    return path;
  }

  private prefix(prefix: string, operation: DiskOperation): string {
    const path = normalizePrefix(prefix, operation);
    this.refuseReserved(path, operation);
    return path;
  }

  private refuseReserved(path: string, operation: DiskOperation): void {
    const reason = path === '' ? undefined : this.driver.refuseKey?.(path);
    if (reason !== undefined) throw new InvalidPathError({ operation, key: path, reason });
  }

  /** A copy or move onto itself changes nothing, but still needs the source to exist. */
  private async mustExist(key: string): Promise<void> {
    await this.driver.stat(key);
  }

  private async run<T>(operation: DiskOperation, key: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof StorageError) throw error;
      if (NOT_FOUND_OPERATIONS.has(operation) && this.driver.isNotFound(error)) {
        throw new FileNotFoundError({ operation, key, cause: error });
      }
      throw new StorageError({ operation, key, cause: error });
    }
  }
}
