import type { Readable } from 'node:stream';

/**
 * What a disk can be asked to store: bytes you hold (a Buffer, any Uint8Array, a string
 * written as UTF-8) or a stream of unknown length, which is never buffered whole.
 */
export type WriteBody = string | Uint8Array | Readable;

export interface WriteOptions {
  /** Defaults to `application/octet-stream`. */
  contentType?: string;
  /**
   * User metadata kept with the object, as S3 keeps `x-amz-meta-*`: names are lowercased
   * and limited to letters, digits, `-` and `_`; values are printable ASCII; 2 KiB in all.
   */
  metadata?: Record<string, string>;
  /**
   * The caller's word that nothing was ever written at this key (one named by a fresh random
   * id, as an upload's `incoming/` key). The local disk then skips removing an earlier
   * object's metadata, a file-system call that for a new key always fails. Never set it for
   * a key that may have been written before (a retried or repeated write): the older
   * metadata would stay. Defaults to false.
   */
  newKey?: boolean;
}

/** A byte range with an inclusive end, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  /** Inclusive; omitted or past the last byte means "to the end". */
  end?: number;
}

export interface ReadStreamOptions {
  range?: ByteRange;
}

export interface FileStat {
  key: string;
  size: number;
  lastModified: Date;
  contentType: string;
  /** Opaque and quoted, as in HTTP; changes whenever the content does. */
  etag: string;
  metadata: Record<string, string>;
}

export interface FileEntry {
  type: 'file';
  key: string;
  size: number;
  lastModified: Date;
}

/** A common prefix in a shallow listing; its key ends with `/`. */
export interface DirectoryEntry {
  type: 'directory';
  key: string;
}

export type ListEntry = FileEntry | DirectoryEntry;

export interface ListOptions {
  /** Every key under the prefix (true), or one level with sub-prefixes as directories (false, the default). */
  deep?: boolean;
  /** Entries fetched per round trip. */
  pageSize?: number;
}

export interface ListPageOptions {
  deep?: boolean;
  /** At most this many entries (default 1000; S3 never returns more). */
  limit?: number;
  /** The `cursor` of the previous page. */
  cursor?: string;
}

export interface ListPage {
  entries: ListEntry[];
  /** Pass it back for the next page; absent on the last one. */
  cursor?: string;
}

export interface SignedUrlOptions {
  /** Seconds the URL stays valid. */
  expiresIn: number;
  /** Served as `Content-Disposition: attachment` with this file name. */
  downloadName?: string;
  /** Served as the response's `Content-Type` instead of the stored one. */
  contentType?: string;
}

/**
 * One place bytes are kept: a folder, a bucket, or memory. Every method takes keys
 * relative to the disk (`tenants/42/files/abc`): `/`-separated, normalised (`a//b/./c` is
 * `a/b/c`) and refused with {@link InvalidPathError} before any I/O when they hold `..`
 * segments, a leading `/`, backslashes, control characters or NUL.
 *
 * Prefixes are folders: `list('a/b')` and `removePrefix('a/b')` concern `a/b/...`, never
 * `a/bc`. The empty prefix is the whole disk.
 *
 * Drivers and wrappers (scoped, read-only, observed) all implement this interface, so a
 * wrapper sees, and can time, every operation.
 */
export interface Disk {
  /** The name the disk is configured under (`storage.disks.<name>`). */
  readonly name: string;

  /** Creates or replaces the object, with its content type and metadata, atomically. */
  write(key: string, body: WriteBody, options?: WriteOptions): Promise<void>;
  /** The whole object in memory; prefer {@link readStream} for anything large. */
  read(key: string): Promise<Buffer>;
  /**
   * A stream of the object or of a range of it. Rejects with {@link FileNotFoundError}
   * before handing back a stream when the key does not exist, and with
   * {@link InvalidRangeError} when the range starts past the last byte.
   */
  readStream(key: string, options?: ReadStreamOptions): Promise<Readable>;
  /**
   * The whole object's bytes in order, read into `buffer`, which the caller lends and the
   * disk may reuse for every chunk: a chunk is valid only until the next one is asked for,
   * so a consumer copies whatever it keeps. For reads that only look at each byte once
   * (hashing) and should not allocate a buffer per chunk. Rejects with
   * {@link FileNotFoundError} before the first chunk when the key does not exist. A disk
   * may read the next chunk into one half of `buffer` while the consumer has the other (the
   * local disk does, for objects longer than `buffer`); the chunk it holds is overwritten
   * only after it asks for the next. Iterate to the end (or break) so that the object is
   * closed and no read still writes into `buffer`.
   */
  scan(key: string, buffer: Buffer): Promise<AsyncIterable<Buffer>>;
  exists(key: string): Promise<boolean>;
  stat(key: string): Promise<FileStat>;
  /** Copies content, content type and metadata, replacing the destination. */
  copy(from: string, to: string): Promise<void>;
  /** Copies, then removes the source. */
  move(from: string, to: string): Promise<void>;
  /** Removes the object; a missing key is not an error. */
  remove(key: string): Promise<void>;
  /** Removes every object under the prefix. */
  removePrefix(prefix: string): Promise<void>;
  /** Every entry under the prefix, in key order, fetched a page at a time. */
  list(prefix?: string, options?: ListOptions): AsyncIterable<ListEntry>;
  /** One page of {@link list}, for callers that hand cursors to their own clients. */
  listPage(prefix?: string, options?: ListPageOptions): Promise<ListPage>;
  /** A URL anyone can GET the object from, without credentials, until it expires. */
  signedUrl(key: string, options: SignedUrlOptions): Promise<string>;
  /**
   * Resolves when the disk can be used (the folder is writable, the bucket answers);
   * throws a {@link StorageError} naming the root or bucket otherwise. For readiness
   * probes and boot checks.
   */
  check(): Promise<void>;
}

/** The name of each {@link Disk} operation, for errors and instrumentation. */
export type DiskOperation = Exclude<keyof Disk, 'name'>;
