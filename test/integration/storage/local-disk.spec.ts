import {
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
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
      source.write('new content, first half; ');
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
      expect((await disk.read('live.txt')).toString()).toBe('new content, first half; second half');
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
