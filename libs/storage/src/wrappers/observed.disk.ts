import { performance } from 'node:perf_hooks';
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

export interface DiskOperationEvent {
  disk: string;
  operation: DiskOperation;
  durationMs: number;
  /** Set when the operation failed. */
  error?: unknown;
}

/** Told of every operation once it settles; must be quick and must not throw. */
export type DiskObserver = (event: DiskOperationEvent) => void;

/**
 * A disk that reports each operation's duration and outcome, for metrics by disk and
 * operation. `readStream` and `scan` are timed until the stream is handed back (time to first byte),
 * `list` page by page.
 */
export class ObservedDisk implements Disk {
  readonly name: string;

  constructor(
    private readonly disk: Disk,
    private readonly observer: DiskObserver,
  ) {
    this.name = disk.name;
  }

  write(key: string, body: WriteBody, options?: WriteOptions): Promise<void> {
    return this.observe('write', () => this.disk.write(key, body, options));
  }

  read(key: string): Promise<Buffer> {
    return this.observe('read', () => this.disk.read(key));
  }

  readStream(key: string, options?: ReadStreamOptions): Promise<Readable> {
    return this.observe('readStream', () => this.disk.readStream(key, options));
  }

  scan(key: string, buffer: Buffer): Promise<AsyncIterable<Buffer>> {
    return this.observe('scan', () => this.disk.scan(key, buffer));
  }

  exists(key: string): Promise<boolean> {
    return this.observe('exists', () => this.disk.exists(key));
  }

  stat(key: string): Promise<FileStat> {
    return this.observe('stat', () => this.disk.stat(key));
  }

  copy(from: string, to: string): Promise<void> {
    return this.observe('copy', () => this.disk.copy(from, to));
  }

  move(from: string, to: string): Promise<void> {
    return this.observe('move', () => this.disk.move(from, to));
  }

  remove(key: string): Promise<void> {
    return this.observe('remove', () => this.disk.remove(key));
  }

  removePrefix(prefix: string): Promise<void> {
    return this.observe('removePrefix', () => this.disk.removePrefix(prefix));
  }

  list(prefix?: string, options?: ListOptions): AsyncIterable<ListEntry> {
    return paginate(this, prefix, options);
  }

  listPage(prefix?: string, options?: ListPageOptions): Promise<ListPage> {
    return this.observe('listPage', () => this.disk.listPage(prefix, options));
  }

  signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
    return this.observe('signedUrl', () => this.disk.signedUrl(key, options));
  }

  check(): Promise<void> {
    return this.observe('check', () => this.disk.check());
  }

  private async observe<T>(operation: DiskOperation, action: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const report = (error?: unknown): void =>
      this.observer({ disk: this.name, operation, durationMs: performance.now() - started, error });
    try {
      const result = await action();
      report();
      return result;
    } catch (error) {
      report(error);
      throw error;
    }
  }
}
