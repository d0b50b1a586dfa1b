import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { ByteRange, FileStat, ListEntry, ListPage, WriteBody, WriteOptions } from '../disk.interface';
import { decodeCursor, takePage } from '../disk.listing';
import { rangeEnd } from '../disk.validation';
import type { DriverListOptions, StorageDriver } from './storage-driver.interface';

interface StoredObject {
  data: Buffer;
  contentType: string;
  metadata: Record<string, string>;
  lastModified: Date;
  etag: string;
}

class MissingKeyError extends Error {
  constructor(key: string) {
    super(`no object at "${key}"`);
  }
}

/** Objects in a Map, with S3's semantics: for tests and development, never for production. */
export class MemoryDriver implements StorageDriver {
  readonly location = 'memory';
  private readonly objects = new Map<string, StoredObject>();

  async write(key: string, body: WriteBody, options: Required<WriteOptions>): Promise<void> {
    const data = body instanceof Readable ? await buffer(body) : Buffer.from(body);
    this.store(key, data, options);
  }

  async read(key: string): Promise<Buffer> {
    return Buffer.from(this.get(key).data);
  }

  async readStream(key: string, range: ByteRange | undefined): Promise<Readable> {
    const { data } = this.get(key);
    const bytes = range ? data.subarray(range.start, rangeEnd(key, range, data.length) + 1) : data;
    return Readable.from([bytes], { objectMode: false });
  }

  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }

  async stat(key: string): Promise<FileStat> {
    const { data, contentType, metadata, lastModified, etag } = this.get(key);
    return { key, size: data.length, lastModified, contentType, etag, metadata: { ...metadata } };
  }

  async copy(from: string, to: string): Promise<void> {
    const { data, contentType, metadata } = this.get(from);
    this.store(to, data, { contentType, metadata });
  }

  async move(from: string, to: string): Promise<void> {
    await this.copy(from, to);
    this.objects.delete(from);
  }

  async remove(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async removePrefix(prefix: string): Promise<void> {
    for (const key of this.objects.keys()) if (key.startsWith(prefix)) this.objects.delete(key);
  }

  async listPage(prefix: string, { deep, limit, cursor }: DriverListOptions): Promise<ListPage> {
    const keys = [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    return takePage(this.entries(keys, prefix, deep, decodeCursor(cursor)), limit);
  }

  async check(): Promise<void> {}

  isNotFound(error: unknown): boolean {
    return error instanceof MissingKeyError;
  }

  /** Entries from sorted keys: all of them (deep), or files and first-level folders (shallow). */
  private *entries(
    keys: string[],
    prefix: string,
    deep: boolean,
    after: string | undefined,
  ): Generator<ListEntry> {
    let lastFolder: string | undefined;
    for (const key of keys) {
      // A folder cursor (ending with "/") skips everything inside that folder too.
      if (after !== undefined && (key <= after || (after.endsWith('/') && key.startsWith(after)))) continue;
      const slash = deep ? -1 : key.indexOf('/', prefix.length);
      if (slash === -1) {
        const { data, lastModified } = this.get(key);
        yield { type: 'file', key, size: data.length, lastModified };
      } else if (key.slice(0, slash + 1) !== lastFolder) {
        lastFolder = key.slice(0, slash + 1);
        yield { type: 'directory', key: lastFolder };
      }
    }
  }

  private store(
    key: string,
    data: Buffer,
    { contentType, metadata }: Omit<Required<WriteOptions>, 'newKey'>,
  ): void {
    const etag = `"${createHash('md5').update(data).digest('hex')}"`;
    this.objects.set(key, { data, contentType, metadata: { ...metadata }, lastModified: new Date(), etag });
  }

  private get(key: string): StoredObject {
    const object = this.objects.get(key);
    if (!object) throw new MissingKeyError(key);
    return object;
  }
}
