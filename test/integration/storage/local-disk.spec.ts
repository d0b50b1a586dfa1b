import {
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { type Disk, DriverDisk, InvalidPathError, LocalDriver, StorageError } from '@depot/storage';
import { waitFor } from '../../support/wait';
import { describeDiskContract } from './disk.contract';
import { localHarness } from './support/harness';

describeDiskContract('local', localHarness);

describe('local disk', () => {
  let parent: string;
  let root: string;
  let disk: Disk;

  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'depot-local-only-'));
    root = join(parent, 'root');
    disk = new DriverDisk('local', new LocalDriver({ root }));
  });
  afterEach(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  const staged = async (): Promise<string[]> => readdir(join(root, '.depot', 'tmp')).catch(() => []);

  describe('atomic writes', () => {
    it('leaves nothing at a new key when the source stream fails mid-write', async () => {
      await expect(disk.write('broken/new.bin', failingStream())).rejects.toBeInstanceOf(StorageError);
      expect(await disk.exists('broken/new.bin')).toBe(false);
      expect(await staged()).toEqual([]);
    });

    it('keeps the previous content when an overwrite fails mid-write', async () => {
      await disk.write('kept.txt', 'previous', { contentType: 'text/plain' });
      await expect(disk.write('kept.txt', failingStream(), { contentType: 'text/html' })).rejects.toThrow(
        'source failed',
      );
      expect((await disk.read('kept.txt')).toString()).toBe('previous');
      expect((await disk.stat('kept.txt')).contentType).toBe('text/plain');
      expect(await staged()).toEqual([]);
    });

    it('shows readers the old content, never a part, until the write completes', async () => {
      await disk.write('live.txt', 'old');
      const source = new PassThrough();
      const writing = disk.write('live.txt', source);
      // More than one write buffer (256 KiB), so that part of it goes down to the staged file.
      const firstHalf = 'new content, first half; '.repeat(12_000);
      source.write(firstHalf);
      // Read while the first half sits in a staged part, not after some time.
      await waitFor('the first half to be staged', 10_000, async () => {
        const parts = await staged();
        const sizes = await Promise.all(
          parts.map(async (part) => (await stat(join(root, '.depot', 'tmp', part))).size),
        );
        return sizes.some((size) => size > 0);
      });
      expect((await disk.read('live.txt')).toString()).toBe('old');
      source.end('second half');
      await writing;
      expect((await disk.read('live.txt')).toString()).toBe(`${firstHalf}second half`);
    });
  });

  describe('streamed writes', () => {
    /** Chunks of uneven sizes (strings, Uint8Arrays and Buffers), so that copies straddle the write buffers. */
    const unevenChunks = (seed: number, total: number): Array<Buffer | Uint8Array | string> => {
      const chunks: Array<Buffer | Uint8Array | string> = [];
      const sizes = [1, 7, 65_536, 300_000, 262_144, 131_071, 513];
      for (let written = 0, index = seed; written < total; index += 1) {
        const size = Math.min(sizes[index % sizes.length]!, total - written);
        const bytes = Buffer.alloc(size);
        for (let i = 0; i < size; i += 1) bytes[i] = (written + i + seed * 31) % 251;
        chunks.push(
          index % 5 === 0 ? new Uint8Array(bytes) : index % 11 === 0 ? bytes.toString('latin1') : bytes,
        );
        written += size;
      }
      return chunks;
    };
    const joined = (chunks: Array<Buffer | Uint8Array | string>): Buffer =>
      Buffer.concat(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)));

    it('stores every byte of a stream of uneven chunks, across many write buffers, in order', async () => {
      const chunks = unevenChunks(0, 3 * 1024 * 1024 + 12_345);
      await disk.write('uneven.bin', Readable.from(chunks));
      expect((await disk.read('uneven.bin')).equals(joined(chunks))).toBe(true);
    });

    it('keeps concurrent streamed writes apart (their write buffers are reused, never shared)', async () => {
      const bodies = Array.from({ length: 12 }, (_, seed) =>
        unevenChunks(seed + 1, 200_000 + seed * 150_000),
      );
      await Promise.all(
        bodies.map((chunks, index) => disk.write(`concurrent/${index}.bin`, Readable.from(chunks))),
      );
      for (const [index, chunks] of bodies.entries()) {
        expect((await disk.read(`concurrent/${index}.bin`)).equals(joined(chunks))).toBe(true);
      }
    });

    it('leaves nothing behind when the source fails after some buffers were written', async () => {
      const source = Readable.from(
        (async function* () {
          yield Buffer.alloc(700 * 1024, 2);
          await new Promise((resolve) => setTimeout(resolve, 5));
          throw new Error('source failed');
        })(),
      );
      await expect(disk.write('broken/late.bin', source)).rejects.toThrow('source failed');
      expect(await disk.exists('broken/late.bin')).toBe(false);
      expect(await staged()).toEqual([]);
    });
  });

  describe('sidecars', () => {
    const sidecarOf = (key: string): string => join(root, '.depot', 'meta', key);

    it('writes none for the default content type and no metadata, and the object still reads as the defaults', async () => {
      await disk.write('plain.bin', 'bytes');
      await expect(stat(sidecarOf('plain.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect(await disk.stat('plain.bin')).toMatchObject({
        contentType: 'application/octet-stream',
        metadata: {},
      });
      expect(await staged()).toEqual([]);
    });

    it('removes the earlier sidecar when an overwrite has the defaults, so nothing of the old description stays', async () => {
      await disk.write('typed.bin', 'old', { contentType: 'text/plain', metadata: { k: 'v' } });
      await disk.write('typed.bin', Readable.from([Buffer.from('new')]));
      await expect(stat(sidecarOf('typed.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect(await disk.stat('typed.bin')).toMatchObject({
        contentType: 'application/octet-stream',
        metadata: {},
      });
      expect((await disk.read('typed.bin')).toString()).toBe('new');
    });

    it('for a write that says its key is new, looks for no earlier sidecar: one planted there is left as it is', async () => {
      // What the option saves: for an upload's fresh key the removal could only fail. Its
      // contract: the caller vouches that the key was never written, so a sidecar found at
      // such a key can only have been planted, as here, and proves the removal was skipped.
      await mkdir(join(root, '.depot', 'meta', 'incoming'), { recursive: true });
      await writeFile(
        sidecarOf('incoming/fresh'),
        JSON.stringify({ contentType: 'text/plain', metadata: {} }),
      );
      await disk.write('incoming/fresh', Readable.from([Buffer.from('new')]), { newKey: true });
      expect((await disk.stat('incoming/fresh')).contentType).toBe('text/plain');

      // Without the option, the same write removes it.
      await disk.write('incoming/fresh', Readable.from([Buffer.from('again')]));
      await expect(stat(sidecarOf('incoming/fresh'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await disk.stat('incoming/fresh')).contentType).toBe('application/octet-stream');
    });

    it('for a new key with a content type, still writes its sidecar, which holds the description only', async () => {
      await disk.write('incoming/typed', 'text', { contentType: 'text/plain', newKey: true });
      expect(JSON.parse(await readFile(sidecarOf('incoming/typed'), 'utf8'))).toEqual({
        contentType: 'text/plain',
        metadata: {},
      });
      expect(await disk.stat('incoming/typed')).toMatchObject({ contentType: 'text/plain', metadata: {} });
    });

    it('writes one when the content type or the metadata differ from the defaults', async () => {
      await disk.write('typed.txt', 'text', { contentType: 'text/plain' });
      await disk.write('tagged.bin', 'bytes', { metadata: { k: 'v' } });
      expect(JSON.parse(await readFile(sidecarOf('typed.txt'), 'utf8'))).toMatchObject({
        contentType: 'text/plain',
      });
      expect(JSON.parse(await readFile(sidecarOf('tagged.bin'), 'utf8'))).toMatchObject({
        metadata: { k: 'v' },
      });
    });
  });

  describe('abandoned staged writes', () => {
    it('removes, on its first write, staged files a killed process left a day ago, and no others', async () => {
      // What an api SIGKILLed mid-upload leaves, beside a write another process is making now.
      const tmp = join(root, '.depot', 'tmp');
      await mkdir(tmp, { recursive: true });
      await writeFile(join(tmp, 'abandoned'), 'partial upload');
      const dayAndAMinuteAgo = new Date(Date.now() - 24 * 60 * 60 * 1000 - 60_000);
      await utimes(join(tmp, 'abandoned'), dayAndAMinuteAgo, dayAndAMinuteAgo);
      await writeFile(join(tmp, 'in-progress'), 'bytes still arriving');

      await disk.write('first.txt', 'the first write of this process');
      expect(await staged()).toEqual(['in-progress']);
      expect((await disk.read('first.txt')).toString()).toBe('the first write of this process');
    });
  });

  describe('confinement', () => {
    it('writes nothing outside the root for a traversal key', async () => {
      await expect(disk.write('../escape.txt', 'x')).rejects.toBeInstanceOf(InvalidPathError);
      await expect(disk.write('a/../../escape.txt', 'x')).rejects.toBeInstanceOf(InvalidPathError);
      expect(await readdir(parent)).toEqual([]); // not even the root was created
    });

    it('refuses a symbolic link that leads out of the root', async () => {
      const outside = join(parent, 'outside');
      await mkdir(outside);
      await writeFile(join(outside, 'secret.txt'), 'secret');
      await disk.write('inside.txt', 'inside');
      await symlink(outside, join(root, 'linked-folder'));
      await symlink(join(outside, 'secret.txt'), join(root, 'linked-file.txt'));

      for (const attempt of [
        () => disk.read('linked-file.txt'),
        () => disk.readStream('linked-file.txt'),
        () => disk.scan('linked-file.txt', Buffer.alloc(16)),
        () => disk.stat('linked-folder/secret.txt'),
        () => disk.write('linked-folder/planted.txt', 'planted'),
        () => disk.write('linked-folder/new/deeper.txt', 'planted'),
        () => disk.copy('inside.txt', 'linked-folder/copied.txt'),
        () => disk.move('inside.txt', 'linked-folder/moved.txt'),
        () => disk.remove('linked-folder/secret.txt'),
        () => disk.removePrefix('linked-folder'),
        () => disk.listPage('linked-folder'),
      ]) {
        await expect(attempt()).rejects.toMatchObject({
          name: 'InvalidPathError',
          reason: 'it leads out of the disk root through a symbolic link',
        });
      }
      expect(await readdir(outside)).toEqual(['secret.txt']);
      expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
    });

    it('refuses a folder it made itself once a symbolic link out of the root replaces it, or one of its parents', async () => {
      // The check is made on every write, never remembered per folder: a folder replaced
      // after earlier writes, or moved out whole and linked back (same inode), is refused.
      const outside = join(parent, 'outside');
      await mkdir(outside);
      await disk.write('tenants/t/incoming/first', 'first', { newKey: true });

      await rm(join(root, 'tenants/t/incoming'), { recursive: true });
      await symlink(outside, join(root, 'tenants/t/incoming'));
      await expect(
        disk.write('tenants/t/incoming/second', 'planted', { newKey: true }),
      ).rejects.toMatchObject({
        name: 'InvalidPathError',
      });

      await rm(join(root, 'tenants/t/incoming'));
      await disk.write('tenants/t/incoming/third', 'third', { newKey: true });
      await rename(join(root, 'tenants/t'), join(outside, 't'));
      await symlink(join(outside, 't'), join(root, 'tenants/t'));
      await expect(
        disk.write('tenants/t/incoming/fourth', 'planted', { newKey: true }),
      ).rejects.toMatchObject({
        name: 'InvalidPathError',
      });
      expect(await readdir(outside)).toEqual(['t']);
      expect(await readdir(join(outside, 't/incoming'))).toEqual(['third']);
    });

    it('follows a symbolic link that stays inside the root', async () => {
      await disk.write('real/file.txt', 'real');
      await symlink(join(root, 'real'), join(root, 'alias'));
      expect((await disk.read('alias/file.txt')).toString()).toBe('real');
    });

    it('keeps its own folder out of reach and out of listings', async () => {
      await disk.write('visible.txt', 'x', { metadata: { a: 'b' } });
      await expect(disk.write('.depot/meta/visible.txt', '{}')).rejects.toBeInstanceOf(InvalidPathError);
      await expect(disk.read('.depot/meta/visible.txt')).rejects.toBeInstanceOf(InvalidPathError);
      await expect(disk.listPage('.depot')).rejects.toBeInstanceOf(InvalidPathError);
      const keys: string[] = [];
      for await (const entry of disk.list('', { deep: true })) keys.push(entry.key);
      expect(keys).toEqual(['visible.txt']);
      await disk.removePrefix('');
      expect(await disk.exists('visible.txt')).toBe(false);
    });
  });

  describe('scan', () => {
    const KiB = 1024;

    it('reads the next chunk into the other half of the lent buffer while the consumer holds one', async () => {
      const content = randomBytes(256 * KiB + 5);
      await disk.write('scanned.bin', content);
      const lent = Buffer.alloc(64 * KiB);
      const half = lent.subarray(32 * KiB);
      let offset = 0;
      const chunks: Buffer[] = [];
      for await (const chunk of await disk.scan('scanned.bin', lent)) {
        const held = Buffer.from(chunk);
        const next = content.subarray(offset + chunk.length, offset + chunk.length + 32 * KiB);
        // The first chunk is the first half; the bytes after it land in the second half before it is let go.
        if (offset === 0) {
          expect(chunk.length).toBe(32 * KiB);
          await waitFor('the read ahead', 5000, async () => half.equals(next), 5);
        }
        expect(chunk.equals(held)).toBe(true); // what it holds is not overwritten meanwhile
        expect(chunk.equals(content.subarray(offset, offset + chunk.length))).toBe(true);
        chunks.push(held);
        offset += chunk.length;
      }
      expect(Buffer.concat(chunks).equals(content)).toBe(true);
    });

    it('reads an object that fits the lent buffer in one read, and stops early without error', async () => {
      const content = randomBytes(64 * KiB);
      await disk.write('small.bin', content);
      const chunks: Buffer[] = [];
      for await (const chunk of await disk.scan('small.bin', Buffer.alloc(64 * KiB)))
        chunks.push(Buffer.from(chunk));
      expect(chunks).toEqual([content]);
      await disk.write('large.bin', randomBytes(512 * KiB));
      // Breaking off with a read under way waits for it, then closes the file: nothing writes into the buffer after.
      const lent = Buffer.alloc(64 * KiB);
      for await (const chunk of await disk.scan('large.bin', lent)) {
        expect(chunk.length).toBe(32 * KiB);
        break;
      }
      lent.fill(0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(lent.equals(Buffer.alloc(64 * KiB))).toBe(true);
      await disk.remove('large.bin');
      expect(await disk.exists('large.bin')).toBe(false);
    });
    it('closes the file once read to its end, broken off, or refused', async () => {
      /** This process's descriptors open on the disk's files. */
      const openHere = async (): Promise<string[]> => {
        const fds = await readdir('/proc/self/fd');
        const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
        return targets.filter((target) => target.startsWith(root));
      };
      await disk.write('whole.bin', randomBytes(96 * KiB));
      for await (const chunk of await disk.scan('whole.bin', Buffer.alloc(64 * KiB)))
        expect(chunk.length).toBe(32 * KiB);
      expect(await openHere()).toEqual([]);
      for await (const chunk of await disk.scan('whole.bin', Buffer.alloc(64 * KiB))) {
        expect(await openHere()).toEqual([join(root, 'whole.bin')]);
        expect(chunk.length).toBe(32 * KiB);
        break;
      }
      expect(await openHere()).toEqual([]);
      await disk.write('folder/inside.bin', 'x');
      await expect(disk.scan('folder', Buffer.alloc(64 * KiB))).rejects.toBeInstanceOf(StorageError);
      expect(await openHere()).toEqual([]);
    });
  });

  describe('move', () => {
    const sidecar = (key: string): string => join(root, '.depot', 'meta', key);

    it('carries the sidecar by hard link (no rewrite, no flush) and leaves nothing staged', async () => {
      await disk.write('incoming/a', 'bytes', { contentType: 'text/plain', metadata: { k: 'v' } });
      const written = await stat(sidecar('incoming/a'));
      await disk.move('incoming/a', 'files/a');
      // The same inode: the sidecar flushed at write time is the one now at the target.
      expect((await stat(sidecar('files/a'))).ino).toBe(written.ino);
      await expect(stat(sidecar('incoming/a'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect(await disk.stat('files/a')).toMatchObject({ contentType: 'text/plain', metadata: { k: 'v' } });
      expect(await staged()).toEqual([]);
    });

    it("over a key that has a sidecar, gives it the source's, and nothing is left staged", async () => {
      await disk.write('files/c', 'old', { contentType: 'text/plain', metadata: { k: 'old' } });
      await disk.write('incoming/c', 'new', { contentType: 'image/png', metadata: { k: 'new' } });
      await disk.move('incoming/c', 'files/c');
      expect((await disk.read('files/c')).toString()).toBe('new');
      expect(await disk.stat('files/c')).toMatchObject({ contentType: 'image/png', metadata: { k: 'new' } });
      expect(await staged()).toEqual([]);
    });

    it('finishes a move that a crash cut after the sidecar was carried', async () => {
      await disk.write('incoming/d', 'bytes', { contentType: 'text/plain', metadata: { k: 'v' } });
      // Where a kill between the sidecar's link and the object's rename leaves it: both keys described.
      await mkdir(join(root, '.depot', 'meta', 'files'), { recursive: true });
      await link(sidecar('incoming/d'), sidecar('files/d'));
      await disk.move('incoming/d', 'files/d');
      expect((await disk.read('files/d')).toString()).toBe('bytes');
      expect(await disk.stat('files/d')).toMatchObject({ contentType: 'text/plain', metadata: { k: 'v' } });
      expect(await disk.exists('incoming/d')).toBe(false);
      expect(await staged()).toEqual([]);
    });

    it('moving an object without a sidecar over one that has one leaves the defaults', async () => {
      await disk.write('files/b', 'old', { contentType: 'text/plain', metadata: { k: 'v' } });
      await disk.write('incoming/b', 'new');
      await rm(sidecar('incoming/b'), { force: true });
      await disk.move('incoming/b', 'files/b');
      expect((await disk.read('files/b')).toString()).toBe('new');
      expect(await disk.stat('files/b')).toMatchObject({ metadata: {} });
      expect((await disk.stat('files/b')).contentType).not.toBe('text/plain');
    });

    it('prunes the folders it empties, of objects and of sidecars, with or without a sidecar', async () => {
      await disk.write('incoming/e', 'described', { contentType: 'text/plain' });
      await disk.write('incoming/f', 'plain');
      await disk.move('incoming/e', 'files/e');
      await expect(stat(sidecar('incoming'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect(await readdir(join(root, 'incoming'))).toEqual(['f']);
      await disk.move('incoming/f', 'files/f');
      await expect(stat(join(root, 'incoming'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await readdir(join(root, 'files'))).sort()).toEqual(['e', 'f']);
      expect(await disk.stat('files/e')).toMatchObject({ contentType: 'text/plain' });
      expect((await disk.stat('files/f')).contentType).not.toBe('text/plain');
      expect(await staged()).toEqual([]);
    });
  });

  describe('health check', () => {
    it('creates a missing root', async () => {
      await disk.check();
      expect(await readdir(root)).toEqual(['.depot']);
    });

    it('fails naming the root when it cannot be used', async () => {
      const blocked = join(parent, 'a-file');
      await writeFile(blocked, 'not a folder');
      const unusable = new DriverDisk('local', new LocalDriver({ root: join(blocked, 'root') }));
      const error = await unusable.check().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ operation: 'check', hint: expect.stringContaining('writ') });
      expect((error as Error).message).toContain(join(blocked, 'root'));
    });
  });
});

function failingStream(): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.alloc(256 * 1024, 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('source failed');
    })(),
  );
}
