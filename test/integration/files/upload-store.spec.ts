import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { Upload } from '@tus/utils';
import type { StorageConfig, UploadsConfig } from '@depot/config';
import { DriverDisk, LocalDriver, MemoryDriver, type StorageService } from '@depot/storage';
import { BufferedFileStore } from '../../../libs/files/src/intake/buffered-file-store';
import { DiskChunkStore } from '../../../libs/files/src/intake/disk-chunk-store';
import { partialUploadKey, UploadStore } from '../../../libs/files/src/intake/upload-store';

const MiB = 1024 * 1024;

/** `bytes` in the 64 KiB pieces a socket delivers a request body in. */
function* chunks(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
}

function chunked(bytes: Buffer): Readable {
  return Readable.from(chunks(bytes));
}

/** Counts the writes through FileHandle (the local driver's) until restored. */
function countHandleWrites(): { count: () => number; restore: () => void } {
  const prototype = FileHandlePrototype as { write: (...args: unknown[]) => Promise<unknown> };
  const write = prototype.write;
  let count = 0;
  prototype.write = function (this: unknown, ...args: unknown[]) {
    count += 1;
    return write.apply(this, args);
  };
  return { count: () => count, restore: () => (prototype.write = write) };
}

let FileHandlePrototype: object;
beforeAll(async () => {
  const handle = await open(__filename, 'r');
  FileHandlePrototype = Object.getPrototypeOf(handle) as object;
  await handle.close();
});

/** The tus store on a real local disk: what reaches the device before a resumable upload becomes a file. */
describe('UploadStore on a local disk', () => {
  let root: string;
  let store: UploadStore;
  let disk: DriverDisk;
  /** The files flushed (fsync) by this process, in order, by the path their descriptor names. */
  let flushed: string[];
  let restore: () => void;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'depot-upload-store-'));
    disk = new DriverDisk('local', new LocalDriver({ root }));
    store = new UploadStore(
      { default: 'local', disks: { local: { driver: 'local', root } } } as unknown as StorageConfig,
      { expireAfterSeconds: 3600 } as UploadsConfig,
      { disk: () => disk } as unknown as StorageService,
    );
    // FileHandle's prototype, spied on for its sync: which file each flush was of, from /proc.
    const handle = await open(join(root, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(handle) as { sync: () => Promise<void> };
    await handle.close();
    const sync = prototype.sync;
    flushed = [];
    prototype.sync = function (this: { fd: number }) {
      flushed.push(readlinkSync(`/proc/self/fd/${this.fd}`));
      return sync.call(this);
    };
    restore = () => (prototype.sync = sync);
  });
  afterEach(async () => {
    restore();
    await rm(root, { recursive: true, force: true });
  });

  it('flushes a complete upload to the device before it moves to its key, and keeps every byte', async () => {
    const bytes = randomBytes(300_000);
    const key = partialUploadKey('f1');
    await store.datastore.create(new Upload({ id: key, size: bytes.length, offset: 0 }));
    await store.datastore.write(Readable.from([bytes.subarray(0, 100_000)]), key, 0);
    await store.datastore.write(Readable.from([bytes.subarray(100_000)]), key, 100_000);
    expect(flushed).not.toContain(join(root, key)); // a PATCH is not flushed on its own

    await store.assemble('f1', 'incoming/t1/f1');

    expect(flushed).toEqual([join(root, key)]);
    expect(await readFile(join(root, 'incoming/t1/f1'))).toEqual(bytes);
    await expect(disk.exists(key)).resolves.toBe(false);
  });

  it('writes a PATCH in large buffers from its offset, not once per received chunk', async () => {
    const bytes = randomBytes(8 * MiB);
    const key = partialUploadKey('f2');
    await store.datastore.create(new Upload({ id: key, size: bytes.length, offset: 0 }));
    const writes = countHandleWrites();
    try {
      // The request's chunks, about 64 KiB each as a socket delivers them.
      await expect(store.datastore.write(chunked(bytes.subarray(0, 4 * MiB)), key, 0)).resolves.toBe(4 * MiB);
      await expect(store.datastore.write(chunked(bytes.subarray(4 * MiB)), key, 4 * MiB)).resolves.toBe(
        8 * MiB,
      );
    } finally {
      writes.restore();
    }
    // 256 KiB, then 512 KiB buffers: 9 writes per 4 MiB PATCH (a write stream made 64).
    expect(writes.count()).toBeGreaterThan(0);
    expect(writes.count()).toBeLessThanOrEqual(20);
    expect((await readFile(join(root, key))).equals(bytes)).toBe(true);
  });

  it('keeps a contiguous prefix of a PATCH cut short, from which the upload resumes', async () => {
    const bytes = randomBytes(4 * MiB);
    const key = partialUploadKey('f3');
    await store.datastore.create(new Upload({ id: key, size: bytes.length, offset: 0 }));
    const cutAt = 3 * MiB + 12_345;
    const cut = Readable.from(
      (function* () {
        yield* chunks(bytes.subarray(0, cutAt));
        throw new Error('the client went away');
      })(),
    );

    await expect(store.datastore.write(cut, key, 0)).rejects.toMatchObject({ status_code: 500 });

    // What a HEAD answers: the file's size, every byte up to it the upload's own.
    const { offset } = await store.datastore.getUpload(key);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(cutAt);
    const prefix = await readFile(join(root, key));
    expect(prefix.equals(bytes.subarray(0, offset))).toBe(true);

    await expect(store.datastore.write(chunked(bytes.subarray(offset)), key, offset)).resolves.toBe(
      bytes.length,
    );
    await store.assemble('f3', 'incoming/t1/f3');
    expect((await readFile(join(root, 'incoming/t1/f3'))).equals(bytes)).toBe(true);
  });

  it('reports an upload whose bytes are gone as the disk does', async () => {
    await expect(store.assemble('gone', 'incoming/t1/gone')).rejects.toMatchObject({
      name: 'FileNotFoundError',
    });
  });
});

describe('UploadStore on other disks', () => {
  it.each(['memory', 's3'])('keeps each PATCH as an object of the %s disk, not a local file', (driver) => {
    const disk = new DriverDisk('other', new MemoryDriver());
    const store = new UploadStore(
      { default: 'other', disks: { other: { driver } } } as unknown as StorageConfig,
      { expireAfterSeconds: 3600 } as UploadsConfig,
      { disk: () => disk } as unknown as StorageService,
    );
    expect(store.datastore).toBeInstanceOf(DiskChunkStore);
    expect(store.datastore).not.toBeInstanceOf(FileStore);
  });

  it('uses the buffered file store on a local disk', () => {
    const store = new UploadStore(
      { default: 'local', disks: { local: { driver: 'local', root: tmpdir() } } } as unknown as StorageConfig,
      { expireAfterSeconds: 3600 } as UploadsConfig,
      { disk: () => undefined } as unknown as StorageService,
    );
    expect(store.datastore).toBeInstanceOf(BufferedFileStore);
  });
});
