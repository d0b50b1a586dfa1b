import { randomUUID } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  read,
  realpathSync,
  renameSync,
  rmdirSync,
  type Stats,
  statSync,
} from 'node:fs';
import {
  access,
  copyFile,
  type FileHandle,
  link,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  realpath,
  rm,
  stat,
  unlink,
} from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type {
  ByteRange,
  DiskOperation,
  FileStat,
  ListEntry,
  ListPage,
  WriteBody,
  WriteOptions,
} from '../disk.interface';
import { sharedBuffers } from '../buffer-pool';
import { decodeCursor, takePage } from '../disk.listing';
import { DEFAULT_CONTENT_TYPE, rangeEnd } from '../disk.validation';
import { InvalidPathError, prematureClose } from '../storage.errors';
import type { DriverListOptions, StorageDriver } from './storage-driver.interface';

export interface LocalDriverOptions {
  /** The folder that holds the disk; created when missing. Relative paths resolve from the working directory. */
  root: string;
  /**
   * Flush each file to the device before renaming it into place (default true), so that a
   * crash can never leave an empty or torn file at a key. Off only for throwaway data.
   */
  durable?: boolean;
}

/** The disk's own folder under the root: staged writes (`tmp/`) and each key's content type and metadata (`meta/`). */
const RESERVED = '.depot';
/** 1 MiB reads: about twice the throughput of Node's 64 KiB default on large files. */
const READ_CHUNK_BYTES = 1024 * 1024;
/** For {@link LocalDriver.confine}: the key is a target renamed into place. */
const PLACED = true;
/** A staged file untouched this long was left by a process that died mid-write. */
const ABANDONED_STAGED_MS = 24 * 60 * 60 * 1000;
/** The buffers a streamed write copies its chunks into (see {@link writeThrough}). */
const WRITE_BUFFER_BYTES = 256 * 1024;
/**
 * Those of a body longer than one of them (see {@link largeSpare}): half the writes. 1 MiB
 * saved a little more CPU, but held 1.5 MiB more per upload in flight than the 256 KiB pair.
 */
const LARGE_WRITE_BUFFER_BYTES = 512 * 1024;
const NOT_FOUND_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

interface Sidecar {
  contentType: string;
  metadata: Record<string, string>;
}

/**
 * Files under a root folder. A write goes to a temporary file under `<root>/.depot/tmp`,
 * is flushed, then renamed over the key: readers see the old file or the new one, never a
 * part, and a failed write leaves nothing behind. Content type and metadata live in a
 * sidecar under `<root>/.depot/meta/<key>`. Paths that resolve out of the root through a
 * symbolic link are refused; symbolic links are not listed.
 *
 * Keys map to paths as they are: on a case-insensitive file system, keys differing only in
 * case collide, and `a` cannot be a file and a folder at once.
 *
 * Calls on names rather than bytes (the confinement's `realpath`, `stat`, `lstat`, a scan's
 * `open`, `fstat` and `close`, a move's `rename` and the prune's `rmdir`) are synchronous:
 * each is a few microseconds in the kernel, where the same call through the thread pool cost
 * 20 to 30 µs of CPU in the hand-off alone, and the worker made about a dozen per small
 * file. Reads, writes and flushes stay in the thread pool. The price: a root on a file
 * system that stalls (a hung network mount) stalls the event loop, not only the pool.
 */
export class LocalDriver implements StorageDriver {
  readonly location: string;
  readonly hint = 'make sure the folder exists or can be created, and that the app may write to it';
  private readonly root: string;
  private readonly tmpDir: string;
  private readonly metaDir: string;
  private readonly durable: boolean;
  /** Whether `tmp/` was made by this driver (see {@link createStaged}). */
  private tmpMade = false;
  /** The root with its links resolved, once it exists (see {@link confine}). */
  private realRoot: string | undefined;

  constructor(options: LocalDriverOptions) {
    this.root = resolve(options.root);
    this.location = this.root;
    this.tmpDir = join(this.root, RESERVED, 'tmp');
    this.metaDir = join(this.root, RESERVED, 'meta');
    this.durable = options.durable ?? true;
  }

  refuseKey(key: string): string | undefined {
    return key === RESERVED || key.startsWith(`${RESERVED}/`)
      ? `"${RESERVED}/" holds the disk's own files`
      : undefined;
  }

  async write(key: string, body: WriteBody, options: Required<WriteOptions>): Promise<void> {
    const target = await this.confine(key, 'write', PLACED);
    // The sidecar is staged (and flushed) while the body streams: a small file then waits
    // for one flush instead of two in a row. It is placed before the object, as ever. One
    // that would hold only the defaults is not written at all (a missing sidecar reads as
    // them): any earlier one at the key is removed instead, at the same point, unless the
    // caller says the key is new (then there is none, and the removal would only fail).
    const { contentType, metadata, newKey } = options;
    const sidecar = describes(options)
      ? this.stage(JSON.stringify({ contentType, metadata } satisfies Sidecar)).then(
          (path) => ({ path, error: undefined }),
          (error: unknown) => ({ path: undefined, error }),
        )
      : undefined;
    let staged: string;
    try {
      staged = await this.stage(body);
    } catch (error) {
      const path = (await sidecar)?.path;
      if (path) await rm(path, { force: true });
      throw error;
    }
    const { path: meta, error: metaError } = (await sidecar) ?? {};
    try {
      if (sidecar === undefined) {
        if (!newKey) await unlink(join(this.metaDir, key)).catch(ignoreNotFound);
      } else if (meta === undefined) throw metaError;
      else await this.place(meta, join(this.metaDir, key));
      await this.place(staged, target);
    } catch (error) {
      await rm(staged, { force: true });
      if (meta) await rm(meta, { force: true });
      throw error;
    }
  }

  async read(key: string): Promise<Buffer> {
    return readFile(await this.confine(key, 'read'));
  }

  async readStream(key: string, range: ByteRange | undefined): Promise<Readable> {
    const file = await open(await this.confine(key, 'readStream'), 'r');
    try {
      const { size } = assertFile(await file.stat(), key);
      // A whole file ends at its last byte: the stream stops there instead of asking for one
      // more (empty) read, with a buffer of its own, to learn that the file is over.
      const end = range ? rangeEnd(key, range, size) : size > 0 ? size - 1 : undefined;
      return file.createReadStream({ start: range?.start, end, highWaterMark: READ_CHUNK_BYTES });
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async scan(key: string, buffer: Buffer): Promise<AsyncIterable<Buffer>> {
    const fd = openSync(await this.confine(key, 'scan'), 'r');
    try {
      return chunksOf(fd, assertFile(fstatSync(fd), key).size, buffer);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    const stats = await stat(await this.confine(key, 'exists')).catch(ignoreNotFound);
    return stats?.isFile() ?? false;
  }

  async stat(key: string): Promise<FileStat> {
    const stats = assertFile(await stat(await this.confine(key, 'stat')), key);
    const { contentType, metadata } = await this.readSidecar(key);
    // A write renames a new file into place, so the inode changes with every write.
    const etag = `"${[stats.ino, stats.size, Math.round(stats.mtimeMs)].map((n) => n.toString(16)).join('-')}"`;
    return { key, size: stats.size, lastModified: stats.mtime, contentType, etag, metadata };
  }

  async copy(from: string, to: string): Promise<void> {
    const source = await this.confine(from, 'copy');
    const target = await this.confine(to, 'copy', PLACED);
    assertFile(await stat(source), from);
    const staged = this.tmpPath();
    await mkdir(this.tmpDir, { recursive: true });
    try {
      // A reflink where the file system offers one, a plain copy elsewhere.
      await copyFile(source, staged, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
      if (this.durable) await flushFile(staged);
      await this.writeSidecar(to, await this.readSidecar(from));
      await this.place(staged, target);
    } catch (error) {
      await rm(staged, { force: true });
      throw error;
    }
  }

  async move(from: string, to: string): Promise<void> {
    const sourcePath = await this.confine(from, 'move');
    const targetPath = await this.confine(to, 'move', PLACED);
    assertFile(statSync(sourcePath), from);
    const carried = await this.carrySidecar(from, to);
    await this.place(sourcePath, targetPath);
    // Without a sidecar at `from` (the usual case) there is none to remove.
    await Promise.all([carried && this.removeSidecar(from), this.prune(dirname(sourcePath))]);
  }

  async remove(key: string): Promise<void> {
    const path = await this.confine(key, 'remove');
    await unlink(path).catch(ignoreNotFound);
    await this.removeSidecar(key);
    await this.prune(dirname(path));
  }

  async removePrefix(prefix: string): Promise<void> {
    if (prefix === '') {
      const entries = await readdir(this.root).catch(ignoreNotFound);
      const removals = (entries ?? [])
        .filter((name) => name !== RESERVED)
        .map((name) => join(this.root, name));
      await Promise.all(
        [...removals, this.metaDir].map((path) => rm(path, { recursive: true, force: true })),
      );
      return;
    }
    const folder = await this.confine(prefix, 'removePrefix');
    // A prefix is a folder: `a/b/` never removes a file named `a/b`.
    if (!(await stat(folder).catch(ignoreNotFound))?.isDirectory()) return;
    await rm(folder, { recursive: true, force: true });
    await rm(join(this.metaDir, prefix), { recursive: true, force: true });
    await this.prune(dirname(folder));
  }

  async listPage(prefix: string, { deep, limit, cursor }: DriverListOptions): Promise<ListPage> {
    await this.confine(prefix, 'listPage');
    return takePage(this.walk(prefix, deep, decodeCursor(cursor)), limit);
  }

  async check(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    await access(this.root, constants.R_OK | constants.W_OK);
    await access(this.tmpDir, constants.R_OK | constants.W_OK);
  }

  isNotFound(error: unknown): boolean {
    return NOT_FOUND_CODES.has((error as NodeJS.ErrnoException).code ?? '');
  }

  /**
   * The path of a key or prefix, once its deepest existing ancestor is known to resolve
   * inside the root: a symbolic link may point elsewhere within the disk, never out of it.
   * (A link swapped in between this check and the I/O that follows is not caught.)
   *
   * A target that is `placed` (renamed into place by write, copy, move) is checked from its
   * folder: a rename replaces a link at the target itself rather than following it, and the
   * target usually does not exist yet, which would cost a failed resolve.
   */
  private async confine(key: string, operation: DiskOperation, placed = false): Promise<string> {
    const path = join(this.root, key);
    // The root is the operator's folder, not a key: resolved once, not on every operation.
    this.realRoot ??= await realpath(this.root).catch(ignoreNotFound);
    const root = this.realRoot;
    if (root === undefined) return path; // no root yet: nothing under it can be a link
    for (let current = placed ? dirname(path) : path; current !== this.root; current = dirname(current)) {
      const real = resolveLinks(current);
      if (real === undefined) continue;
      if (real !== root && !real.startsWith(root + sep)) {
        throw new InvalidPathError({
          operation,
          key,
          reason: 'it leads out of the disk root through a symbolic link',
        });
      }
      break;
    }
    return path;
  }

  private tmpPath(): string {
    return join(this.tmpDir, randomUUID());
  }

  /**
   * Creates the new file `path` in `tmp/`. The folder is made on the first write, not on
   * every one (a mkdir per write was a tenth of a small upload's file system calls), and
   * again whenever it has gone missing since.
   */
  private async createStaged(path: string): Promise<FileHandle> {
    if (!this.tmpMade) {
      await mkdir(this.tmpDir, { recursive: true });
      this.tmpMade = true;
      await this.removeAbandonedStaged();
    }
    try {
      return await open(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(this.tmpDir, { recursive: true });
      return open(path, 'wx');
    }
  }

  /**
   * Staged files a process left when it was killed mid-write (an upload cut by SIGKILL
   * leaves its partial bytes here, which no key leads to). Once per process, on its first
   * write, files in `tmp/` untouched for {@link ABANDONED_STAGED_MS} are removed: a write
   * in progress touches its file with every chunk, and no request lasts that long.
   */
  private async removeAbandonedStaged(): Promise<void> {
    const cutoff = Date.now() - ABANDONED_STAGED_MS;
    for (const name of await readdir(this.tmpDir).catch(() => [])) {
      const path = join(this.tmpDir, name);
      const stats = await lstat(path).catch(() => undefined);
      if (stats?.isFile() && stats.mtimeMs < cutoff) await rm(path, { force: true });
    }
  }

  /** Writes the body to a new temporary file, flushed when durable, and returns its path. */
  private async stage(body: WriteBody): Promise<string> {
    const staged = this.tmpPath();
    const file = await this.createStaged(staged);
    try {
      try {
        if (body instanceof Readable) await writeThrough(body, file);
        else await file.writeFile(body);
        if (this.durable) await file.sync();
      } finally {
        await file.close();
      }
      return staged;
    } catch (error) {
      await rm(staged, { force: true });
      throw error;
    }
  }

  /** Renames a file over `target`, creating its folders; again if a concurrent prune removed them meanwhile. */
  private async place(from: string, target: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return renameSync(from, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw error;
        await mkdir(dirname(target), { recursive: true });
      }
    }
  }

  /** Removes folders left empty, from `folder` up to (not including) the root. */
  private async prune(folder: string): Promise<void> {
    for (let current = folder; current.startsWith(this.root + sep); current = dirname(current)) {
      try {
        rmdirSync(current);
      } catch {
        return; // not empty (or already gone): the folders above are not empty either
      }
    }
  }

  private async readSidecar(key: string): Promise<Sidecar> {
    const text = await readFile(join(this.metaDir, key), 'utf8').catch(ignoreNotFound);
    const sidecar = text === undefined ? undefined : (JSON.parse(text) as Partial<Sidecar>);
    return { contentType: sidecar?.contentType ?? DEFAULT_CONTENT_TYPE, metadata: sidecar?.metadata ?? {} };
  }

  private async writeSidecar(key: string, sidecar: Sidecar): Promise<void> {
    const staged = await this.stage(JSON.stringify(sidecar));
    try {
      await this.place(staged, join(this.metaDir, key));
    } catch (error) {
      await rm(staged, { force: true });
      throw error;
    }
  }

  /**
   * Gives `to` the sidecar of `from`, before the object moves, so that a crash between the
   * two leaves both keys described. The sidecar's bytes were flushed when it was written, so
   * a hard link carries them without writing or flushing anything again. The link is made
   * at the target itself when nothing is there (the usual case: one call, atomic, no staged
   * file nor `tmp/` to make); over an existing sidecar (a move repeated after a crash, or
   * onto a key that exists) it is made in `tmp/` and renamed over it. Without a sidecar,
   * `to` has none either (both read as the defaults). Where hard links are refused, the
   * sidecar is copied as a new flushed file. True when `from` had a sidecar (then carried).
   */
  private async carrySidecar(from: string, to: string): Promise<boolean> {
    const source = join(this.metaDir, from);
    const target = join(this.metaDir, to);
    // The usual case, no sidecar at `from`: known from a look-up, without a failed link.
    if (!lookUp(source)) {
      if (lookUp(target)) await this.removeSidecar(to);
      return false;
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        await link(source, target);
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') return this.replaceSidecar(source, target, from, to);
        if (!this.isNotFound(error)) {
          await this.writeSidecar(to, await this.readSidecar(from));
          return true;
        }
        // Either `from` has no sidecar, or the target's folder is missing (so `to` has none
        // either): in both cases nothing may stay at `to`.
        const sourceStats = lookUp(source);
        await this.removeSidecar(to);
        if (!sourceStats) return false;
        // The target's folder is missing (or a concurrent prune just removed it): made, and tried again.
        if (attempt === 3) throw error;
        await mkdir(dirname(target), { recursive: true });
      }
    }
  }

  /** {@link carrySidecar} over an existing sidecar: a link staged in `tmp/`, renamed over it. */
  private async replaceSidecar(source: string, target: string, from: string, to: string): Promise<boolean> {
    const staged = this.tmpPath();
    await mkdir(this.tmpDir, { recursive: true });
    try {
      await link(source, staged);
    } catch (error) {
      if (this.isNotFound(error)) {
        await this.removeSidecar(to);
        return false;
      }
      await this.writeSidecar(to, await this.readSidecar(from));
      return true;
    }
    try {
      await this.place(staged, target);
      return true;
    } finally {
      // Renaming a link over another link to the same file (a move repeated after a crash)
      // does nothing and leaves the staged one: removed here, as after a failure.
      await rm(staged, { force: true });
    }
  }

  /** Removes a key's sidecar; its folders are pruned only when there was one (nothing else emptied them). */
  private async removeSidecar(key: string): Promise<void> {
    const path = join(this.metaDir, key);
    const removed = await unlink(path).then(
      () => true,
      (error: unknown) => ignoreNotFound(error) ?? false,
    );
    if (removed) await this.prune(dirname(path));
  }

  /**
   * Entries under a prefix in key order, resuming after the `after` key: folders are listed
   * (shallow) or descended into (deep), and skipped whole when they sort before `after`.
   */
  private async *walk(prefix: string, deep: boolean, after: string | undefined): AsyncGenerator<ListEntry> {
    const dirents = await readdir(join(this.root, prefix), { withFileTypes: true }).catch(ignoreNotFound);
    const children = (dirents ?? [])
      .filter(
        (dirent) => (dirent.isFile() || dirent.isDirectory()) && !(prefix === '' && dirent.name === RESERVED),
      )
      .map((dirent) => ({
        key: `${prefix}${dirent.name}${dirent.isDirectory() ? '/' : ''}`,
        folder: dirent.isDirectory(),
      }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));

    for (const { key, folder } of children) {
      const passed = after !== undefined && key <= after;
      if (folder) {
        if (passed && !after.startsWith(key)) continue; // the whole folder sorts before the cursor
        if (deep) yield* this.walk(key, deep, after);
        else if (!passed) yield { type: 'directory', key };
      } else if (!passed) {
        const stats = await stat(join(this.root, key)).catch(ignoreNotFound);
        if (stats) yield { type: 'file', key, size: stats.size, lastModified: stats.mtime };
      }
    }
  }
}

/** Whether write options say more than the defaults, so that they need a sidecar. */
function describes(options: Required<WriteOptions>): boolean {
  return options.contentType !== DEFAULT_CONTENT_TYPE || Object.keys(options.metadata).length > 0;
}

function assertFile(stats: Stats, key: string): Stats {
  if (!stats.isFile()) throw Object.assign(new Error(`"${key}" is a folder, not a file`), { code: 'EISDIR' });
  return stats;
}

/**
 * The first `size` bytes of an open file, then the file closed. Stored objects never change
 * in place (a write renames a new file over them), so the size is known. A file that needs
 * more than one read of `buffer` is read in its two halves in turn, the next read into one
 * while the consumer has the other: the read (in the thread pool) overlaps the consumer's
 * work (hashing, on the main thread) instead of adding to it, as a read stream's read-ahead
 * does, with no buffer per chunk. A half is read into again only once the consumer has
 * asked for the chunk after the one it held, so a chunk stays valid until then.
 */
function chunksOf(fd: number, size: number, buffer: Buffer): AsyncGenerator<Buffer> {
  const token = {};
  const chunks = readChunks(fd, size, buffer, token);
  // A scan whose chunks are never asked for never runs the generator's `finally`.
  unreadScans.register(chunks, fd, token);
  return chunks;
}

/** Closes the file of a scan dropped before its first chunk was asked for. */
const unreadScans = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

async function* readChunks(fd: number, size: number, buffer: Buffer, token: object): AsyncGenerator<Buffer> {
  const half = Math.floor(buffer.length / 2);
  const areas =
    size > buffer.length && half > 0 ? [buffer.subarray(0, half), buffer.subarray(half, 2 * half)] : [buffer];
  /** The read under way into the area after the consumer's, if any. */
  let ahead: Promise<number> | undefined;
  try {
    for (let position = 0, turn = 0; position < size; turn += 1) {
      const area = areas[turn % areas.length]!;
      const bytesRead = await (ahead ?? readAt(fd, area, position, size));
      ahead = undefined;
      if (bytesRead === 0) return;
      position += bytesRead;
      if (areas.length === 2 && position < size) {
        ahead = readAt(fd, areas[(turn + 1) % 2]!, position, size);
        ahead.catch(() => undefined); // awaited on the next turn or below; not unhandled meanwhile
      }
      yield area.subarray(0, bytesRead);
    }
  } finally {
    // The buffer goes back to its lender only once no read writes into it any more.
    if (ahead) await ahead.catch(() => undefined);
    unreadScans.unregister(token);
    closeSync(fd);
  }
}

/** Reads from `position` into `area`, at most as far as the file's `size`; how many bytes came. */
function readAt(fd: number, area: Buffer, position: number, size: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, area, 0, Math.min(area.length, size - position), position, (error, bytesRead) =>
      error ? reject(error) : resolve(bytesRead),
    ),
  );
}

/**
 * Streams `body` into `file`, copying each chunk into one of two reused buffers and writing
 * a buffer whenever it is full, while the other fills. A chunk is then dropped as soon as it
 * is copied, instead of waiting in a write queue for the disk: a long upload's chunks die
 * young, so the collector frees their memory in scavenges, not in full collections of the
 * app's heap (which a 1 GiB upload through a write stream set off dozens of times). The
 * copy costs less than those collections did. A small body uses one buffer and one write;
 * a body longer than its first buffer continues in two large ones ({@link largeSpare}).
 *
 * Writes go to `start` onwards, one at a time and in order, so a body that fails midway
 * leaves a contiguous prefix of it in the file (up to the last full buffer written).
 * Resolves to the position after the body's last byte.
 */
export async function writeThrough(body: Readable, file: FileHandle, start = 0): Promise<number> {
  let buffer = sharedBuffers.take(WRITE_BUFFER_BYTES);
  let filled = 0;
  let position = start;
  /** The other buffer while its write is in flight. */
  let flushing: { buffer: Buffer; done: Promise<void> } | undefined;
  try {
    for await (const chunk of pushedChunks(body)) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      for (let offset = 0; offset < bytes.length;) {
        const count = Math.min(bytes.length - offset, buffer.length - filled);
        if (Buffer.isBuffer(bytes)) bytes.copy(buffer, filled, offset, offset + count);
        else buffer.set(bytes.subarray(offset, offset + count), filled);
        filled += count;
        offset += count;
        if (filled < buffer.length) continue;
        const spare = await largeSpare(flushing);
        const done = writeAll(file, buffer, filled, position);
        done.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
        flushing = { buffer, done };
        position += filled;
        buffer = spare;
        filled = 0;
      }
    }
    if (flushing) await flushing.done;
    await writeAll(file, buffer, filled, position);
    return position + filled;
  } finally {
    // A buffer goes back only once no write reads from it any more.
    if (flushing) {
      await flushing.done.catch(() => undefined);
      sharedBuffers.give(flushing.buffer);
    }
    sharedBuffers.give(buffer);
  }
}

/**
 * The buffer to fill while `buffer` is written, once a body is past its first buffer: a
 * large one (the other buffer once its write is done, when it is large already). Fewer,
 * larger writes: each is a round trip to the thread pool, whose hand-off alone costs the
 * main thread tens of microseconds on a loaded machine.
 */
async function largeSpare(flushing: { buffer: Buffer; done: Promise<void> } | undefined): Promise<Buffer> {
  if (flushing) {
    await flushing.done;
    if (flushing.buffer.length === LARGE_WRITE_BUFFER_BYTES) return flushing.buffer;
    sharedBuffers.give(flushing.buffer);
  }
  return sharedBuffers.take(LARGE_WRITE_BUFFER_BYTES);
}

/**
 * The chunks of `body` as they were pushed, paused while one waits. Not `for await` over the
 * stream itself: its iterator reads with `read()`, which joins whatever is buffered into a
 * new Buffer, so most bytes were copied once more and left garbage the size of the stream's
 * buffer behind each read (writing 256 MiB: 19.9 MiB of RSS growth, against 1.2 MiB now).
 * Nor `events.on`: it allocates two 2,048-slot queues per call, about 32 KiB of heap for every
 * write, a sixth of what a small upload allocated. As with Node's iterator, a body that
 * closes before its end is an error, and one left unread by an error here is destroyed.
 */
async function* pushedChunks(body: Readable): AsyncGenerator<Buffer | Uint8Array | string> {
  if (body.readableEnded) return;
  if (body.destroyed) throw body.errored ?? prematureClose();
  const chunks: (Buffer | Uint8Array | string)[] = [];
  let paused = false;
  let finished: { error?: Error } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const woken = wake;
    wake = undefined;
    woken?.();
  };
  const onData = (chunk: Buffer | Uint8Array | string): void => {
    chunks.push(chunk);
    // At most two chunks wait, as events.on's highWaterMark 2 kept it.
    if (chunks.length > 2 && !paused) {
      paused = true;
      body.pause();
    }
    notify();
  };
  const onEnd = (): void => {
    finished ??= {};
    notify();
  };
  const onError = (error: Error): void => {
    finished ??= { error };
    notify();
  };
  body.on('data', onData).on('end', onEnd).on('close', onEnd).on('error', onError);
  let ended = false;
  try {
    for (;;) {
      const chunk = chunks.shift();
      if (chunk !== undefined) {
        if (paused && chunks.length === 0) {
          paused = false;
          body.resume();
        }
        yield chunk;
      } else if (finished) {
        if (finished.error) throw finished.error;
        break;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
    ended = body.readableEnded;
    if (!ended) throw prematureClose();
  } finally {
    body.off('data', onData).off('end', onEnd).off('close', onEnd).off('error', onError);
    if (!ended && !body.destroyed) body.destroy();
  }
}

async function writeAll(file: FileHandle, buffer: Buffer, length: number, position: number): Promise<void> {
  for (let written = 0; written < length;) {
    const { bytesWritten } = await file.write(buffer, written, length - written, position + written);
    written += bytesWritten;
  }
}

/** Flushes a file's bytes to the device (a file written by something other than this driver). */
export async function flushFile(path: string): Promise<void> {
  const file = await open(path, 'r+');
  try {
    await file.sync();
  } finally {
    await file.close();
  }
}

/** The path with its links resolved, or undefined when it does not exist. Synchronous (see LocalDriver). */
function resolveLinks(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch (error) {
    return ignoreNotFound(error);
  }
}

/** The entry at `path` itself (a link is not followed), or undefined when there is none. Synchronous (see LocalDriver). */
function lookUp(path: string): Stats | undefined {
  try {
    // No error built for a missing entry, the usual answer: building one cost more than the call.
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    return ignoreNotFound(error);
  }
}

function ignoreNotFound(error: unknown): undefined {
  if (NOT_FOUND_CODES.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
  throw error;
}
