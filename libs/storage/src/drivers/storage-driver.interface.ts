import type { Readable } from 'node:stream';
import type {
  ByteRange,
  FileStat,
  ListPage,
  SignedUrlOptions,
  WriteBody,
  WriteOptions,
} from '../disk.interface';

export interface DriverListOptions {
  deep: boolean;
  limit: number;
  cursor?: string;
}

/**
 * The backend of a {@link DriverDisk}: the same operations as a Disk, given keys that are
 * already normalised and checked, and prefixes that are `''` or end with `/`. A driver may
 * throw its own errors; the disk turns them into storage errors, using
 * {@link StorageDriver.isNotFound} to recognise a missing key.
 */
export interface StorageDriver {
  /** Where the bytes are, for messages: a folder, a bucket and endpoint, "memory". */
  readonly location: string;
  /** What an operator can do when {@link StorageDriver.check} fails. */
  readonly hint?: string;
  /** A reason to refuse a key or prefix the driver reserves for itself. */
  refuseKey?(key: string): string | undefined;

  write(key: string, body: WriteBody, options: Required<WriteOptions>): Promise<void>;
  read(key: string): Promise<Buffer>;
  readStream(key: string, range: ByteRange | undefined): Promise<Readable>;
  /** See {@link Disk.scan}; drivers without it are scanned through {@link readStream}. */
  scan?(key: string, buffer: Buffer): Promise<AsyncIterable<Buffer>>;
  exists(key: string): Promise<boolean>;
  stat(key: string): Promise<FileStat>;
  copy(from: string, to: string): Promise<void>;
  move(from: string, to: string): Promise<void>;
  remove(key: string): Promise<void>;
  removePrefix(prefix: string): Promise<void>;
  listPage(prefix: string, options: DriverListOptions): Promise<ListPage>;
  /** Drivers whose backend presigns URLs (S3); others get the api's signed download links. */
  signedUrl?(key: string, options: SignedUrlOptions): Promise<string>;
  check(): Promise<void>;
  isNotFound(error: unknown): boolean;
}
