import type { Readable } from 'node:stream';
import type {
  Disk,
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
import { ReadOnlyDiskError } from '../storage.errors';

/** A disk that reads, lists and signs links, and refuses every change with {@link ReadOnlyDiskError}. */
export class ReadOnlyDisk implements Disk {
  readonly name: string;

  constructor(private readonly disk: Disk) {
    this.name = disk.name;
  }

  async write(key: string, _body?: WriteBody, _options?: WriteOptions): Promise<void> {
    throw new ReadOnlyDiskError({ operation: 'write', key });
  }

  async copy(_from: string, to: string): Promise<void> {
    throw new ReadOnlyDiskError({ operation: 'copy', key: to });
  }

  async move(from: string, _to?: string): Promise<void> {
    throw new ReadOnlyDiskError({ operation: 'move', key: from });
  }

  async remove(key: string): Promise<void> {
    throw new ReadOnlyDiskError({ operation: 'remove', key });
  }

  async removePrefix(prefix: string): Promise<void> {
    throw new ReadOnlyDiskError({ operation: 'removePrefix', key: prefix });
  }

  read(key: string): Promise<Buffer> {
    return this.disk.read(key);
  }

  readStream(key: string, options?: ReadStreamOptions): Promise<Readable> {
    return this.disk.readStream(key, options);
  }

  scan(key: string, buffer: Buffer): Promise<AsyncIterable<Buffer>> {
    return this.disk.scan(key, buffer);
  }

  exists(key: string): Promise<boolean> {
    return this.disk.exists(key);
  }

  stat(key: string): Promise<FileStat> {
    return this.disk.stat(key);
  }

  list(prefix?: string, options?: ListOptions): AsyncIterable<ListEntry> {
    return this.disk.list(prefix, options);
  }

  listPage(prefix?: string, options?: ListPageOptions): Promise<ListPage> {
    return this.disk.listPage(prefix, options);
  }

  signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
    return this.disk.signedUrl(key, options);
  }

  check(): Promise<void> {
    return this.disk.check();
  }
}
