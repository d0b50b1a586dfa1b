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
import { paginate } from '../disk.listing';
import { normalizeKey, normalizePrefix } from '../disk.validation';

/**
 * A disk confined to a prefix of another, e.g. one tenant's `tenants/42/`: keys are
 * relative to the prefix, checked here (so `..` cannot climb out), and listed without it.
 * Errors and signed URLs name the full key on the underlying disk.
 */
export class ScopedDisk implements Disk {
  readonly name: string;
  /** `''` or a folder ending with `/`. */
  readonly prefix: string;

  constructor(
    private readonly disk: Disk,
    prefix: string,
  ) {
    this.name = disk.name;
    this.prefix = normalizePrefix(prefix, 'listPage');
  }

  async write(key: string, body: WriteBody, options?: WriteOptions): Promise<void> {
    return this.disk.write(this.key(key, 'write'), body, options);
  }

  async read(key: string): Promise<Buffer> {
    return this.disk.read(this.key(key, 'read'));
  }

  async readStream(key: string, options?: ReadStreamOptions): Promise<Readable> {
    return this.disk.readStream(this.key(key, 'readStream'), options);
  }

  async scan(key: string, buffer: Buffer): Promise<AsyncIterable<Buffer>> {
    return this.disk.scan(this.key(key, 'scan'), buffer);
  }

  async exists(key: string): Promise<boolean> {
    return this.disk.exists(this.key(key, 'exists'));
  }

  async stat(key: string): Promise<FileStat> {
    const stat = await this.disk.stat(this.key(key, 'stat'));
    return { ...stat, key: this.relative(stat.key) };
  }

  async copy(from: string, to: string): Promise<void> {
    return this.disk.copy(this.key(from, 'copy'), this.key(to, 'copy'));
  }

  async move(from: string, to: string): Promise<void> {
    return this.disk.move(this.key(from, 'move'), this.key(to, 'move'));
  }

  async remove(key: string): Promise<void> {
    return this.disk.remove(this.key(key, 'remove'));
  }

  async removePrefix(prefix: string): Promise<void> {
    return this.disk.removePrefix(this.prefix + normalizePrefix(prefix, 'removePrefix'));
  }

  list(prefix?: string, options?: ListOptions): AsyncIterable<ListEntry> {
    return paginate(this, prefix, options);
  }

  async listPage(prefix = '', options?: ListPageOptions): Promise<ListPage> {
    const page = await this.disk.listPage(this.prefix + normalizePrefix(prefix, 'listPage'), options);
    return { ...page, entries: page.entries.map((entry) => ({ ...entry, key: this.relative(entry.key) })) };
  }

  async signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
    return this.disk.signedUrl(this.key(key, 'signedUrl'), options);
  }

  async check(): Promise<void> {
    return this.disk.check();
  }

  private key(key: string, operation: DiskOperation): string {
    return this.prefix + normalizeKey(key, operation);
  }

  private relative(key: string): string {
    return key.slice(this.prefix.length);
  }
}
