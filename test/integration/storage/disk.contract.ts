import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import {
  type Disk,
  FileNotFoundError,
  InvalidPathError,
  InvalidRangeError,
  type ListEntry,
  type ListPage,
} from '@depot/storage';
import type { DiskHarness } from './support/harness';

/** Cases a backend may skip, each with the reason written where it is skipped. */
export type SkippableCase = 'tampered signed URL';

export interface ContractOptions {
  skip?: Partial<Record<SkippableCase, string>>;
}

const MiB = 1024 * 1024;

/**
 * The behaviour every disk shares, whatever holds the bytes. Each test gets a fresh,
 * empty disk from the harness.
 */
export function describeDiskContract(
  label: string,
  startHarness: () => Promise<DiskHarness>,
  options: ContractOptions = {},
): void {
  describe(`${label} disk contract`, () => {
    let harness: DiskHarness;
    let disk: Disk;

    beforeAll(async () => {
      harness = await startHarness();
    });
    afterAll(async () => {
      await harness?.close();
    });
    beforeEach(async () => {
      disk = await harness.createDisk();
    });

    const itUnlessSkipped = (name: SkippableCase): jest.It => (options.skip?.[name] ? it.skip : it);

    describe('writing and reading', () => {
      it('writes a string and reads it back', async () => {
        await disk.write('notes/hello.txt', 'héllo, wörld');
        expect((await disk.read('notes/hello.txt')).toString()).toBe('héllo, wörld');
      });

      it('writes a stream of unknown length and reads it back as a stream', async () => {
        const content = bytes(11 * MiB + 123);
        await disk.write('big/stream.bin', chunked(content, 64 * 1024), {
          contentType: 'application/x-test',
        });
        const read = await buffer(await disk.readStream('big/stream.bin'));
        expect(read.length).toBe(content.length);
        expect(read.equals(content)).toBe(true);
        expect((await disk.stat('big/stream.bin')).size).toBe(content.length);
      });

      it('scans an object in order through a lent buffer, copying each chunk before the next', async () => {
        const content = bytes(3 * MiB + 5);
        await disk.write('big/scanned.bin', content);
        const lent = Buffer.alloc(MiB);
        const copies: Buffer[] = [];
        for await (const chunk of await disk.scan('big/scanned.bin', lent)) copies.push(Buffer.from(chunk));
        expect(Buffer.concat(copies).equals(content)).toBe(true);
        const empty: Buffer[] = [];
        await disk.write('empty-scan.bin', '');
        for await (const chunk of await disk.scan('empty-scan.bin', lent)) empty.push(chunk);
        expect(Buffer.concat(empty).length).toBe(0);
        await expect(disk.scan('missing.txt', lent)).rejects.toBeInstanceOf(FileNotFoundError);
      });

      it('writes an empty stream as an empty file', async () => {
        await disk.write('empty.bin', Readable.from([]));
        expect(await disk.read('empty.bin')).toEqual(Buffer.alloc(0));
        expect((await disk.stat('empty.bin')).size).toBe(0);
      });

      it('round-trips keys with spaces, brackets, braces and unicode', async () => {
        const keys = [
          'with space/a b.txt',
          'brackets/[draft] (v2).txt',
          'braces/{tenant}/data.json',
          'unicode/日本語/файл-ü.txt',
          'emoji/📦.bin',
          'symbols/a+b=c&d;e,f@g$h~!.txt',
        ];
        for (const key of keys) await disk.write(key, `content of ${key}`);
        for (const key of keys) {
          expect((await disk.read(key)).toString()).toBe(`content of ${key}`);
          expect((await disk.stat(key)).key).toBe(key);
        }
        expect(await keysOf(disk.list('', { deep: true }))).toEqual([...keys].sort());
      });

      it('replaces content and metadata on overwrite', async () => {
        await disk.write('doc', 'first version', { contentType: 'text/plain', metadata: { author: 'ann' } });
        const before = await disk.stat('doc');
        await disk.write('doc', '{"second":true}', { contentType: 'application/json' });
        const after = await disk.stat('doc');
        expect((await disk.read('doc')).toString()).toBe('{"second":true}');
        expect(after).toMatchObject({ contentType: 'application/json', metadata: {}, size: 15 });
        expect(after.etag).not.toBe(before.etag);
      });

      it('normalises keys: repeated slashes and "." segments name the same object', async () => {
        await disk.write('norm//a/./b.txt', 'normalised');
        expect((await disk.read('norm/a/b.txt')).toString()).toBe('normalised');
        expect(await keysOf(disk.list('norm', { deep: true }))).toEqual(['norm/a/b.txt']);
      });

      it('treats keys as case-sensitive', async () => {
        await disk.write('Case/File.txt', 'upper');
        await disk.write('case/file.txt', 'lower');
        expect((await disk.read('Case/File.txt')).toString()).toBe('upper');
        expect((await disk.read('case/file.txt')).toString()).toBe('lower');
        expect(await disk.exists('CASE/FILE.TXT')).toBe(false);
      });
    });

    describe('missing keys', () => {
      it('tells existence before writing, after writing and after removing', async () => {
        expect(await disk.exists('maybe.txt')).toBe(false);
        await disk.write('maybe.txt', 'here');
        expect(await disk.exists('maybe.txt')).toBe(true);
        await disk.remove('maybe.txt');
        expect(await disk.exists('maybe.txt')).toBe(false);
      });

      it('throws FileNotFoundError when reading a missing key', async () => {
        await expect(disk.read('missing.txt')).rejects.toBeInstanceOf(FileNotFoundError);
        // A scoped disk's errors name the full key on the disk beneath.
        await expect(disk.read('missing.txt')).rejects.toMatchObject({
          operation: 'read',
          key: expect.stringMatching(/(^|\/)missing\.txt$/),
        });
      });

      it('rejects a stream read of a missing key before handing back a stream', async () => {
        await expect(disk.readStream('missing.txt')).rejects.toBeInstanceOf(FileNotFoundError);
        await expect(disk.readStream('missing.txt', { range: { start: 0, end: 9 } })).rejects.toBeInstanceOf(
          FileNotFoundError,
        );
      });

      it('throws FileNotFoundError from stat of a missing key', async () => {
        await expect(disk.stat('missing.txt')).rejects.toBeInstanceOf(FileNotFoundError);
      });
    });

    describe('ranged stream reads', () => {
      const alphabet = 'abcdefghijklmnopqrstuvwxyz';
      const readRange = async (start: number, end?: number): Promise<string> =>
        (await buffer(await disk.readStream('alphabet.txt', { range: { start, end } }))).toString();

      beforeEach(async () => {
        await disk.write('alphabet.txt', alphabet);
      });

      it('reads the first bytes', async () => {
        expect(await readRange(0, 4)).toBe('abcde');
      });

      it('reads from the middle', async () => {
        expect(await readRange(10, 14)).toBe('klmno');
      });

      it('reads to the end, with the end omitted or past the last byte', async () => {
        expect(await readRange(20)).toBe('uvwxyz');
        expect(await readRange(20, 1000)).toBe('uvwxyz');
        expect(await readRange(25, 25)).toBe('z');
      });

      it('refuses a range that starts past the end, or is malformed', async () => {
        await expect(readRange(26)).rejects.toBeInstanceOf(InvalidRangeError);
        await expect(readRange(1000, 2000)).rejects.toBeInstanceOf(InvalidRangeError);
        await expect(readRange(5, 2)).rejects.toBeInstanceOf(InvalidRangeError);
        await expect(readRange(-1, 2)).rejects.toBeInstanceOf(InvalidRangeError);
      });
    });

    describe('metadata', () => {
      it('gives size, lastModified, content type, etag and metadata', async () => {
        const before = Date.now();
        await disk.write('meta/report.csv', 'a,b\n1,2\n', {
          contentType: 'text/csv',
          metadata: { Tenant: 't-42', 'source-name': 'report.csv' },
        });
        const stat = await disk.stat('meta/report.csv');
        expect(stat).toMatchObject({
          key: 'meta/report.csv',
          size: 8,
          contentType: 'text/csv',
          // Names are lowercased, as S3 does.
          metadata: { tenant: 't-42', 'source-name': 'report.csv' },
        });
        // Some servers keep whole seconds only.
        expect(stat.lastModified.getTime()).toBeGreaterThanOrEqual(before - 2_000);
        expect(stat.lastModified.getTime()).toBeLessThanOrEqual(Date.now() + 2_000);
        expect(stat.etag).toMatch(/^"[^"]+"$/);
      });

      it('defaults the content type to application/octet-stream', async () => {
        await disk.write('plain', Buffer.from([1, 2, 3]));
        expect((await disk.stat('plain')).contentType).toBe('application/octet-stream');
      });
    });

    describe('listing', () => {
      beforeEach(async () => {
        for (const key of [
          'docs/a.txt',
          'docs/b.txt',
          'docs/sub/c.txt',
          'docs/sub/deeper/d.txt',
          'docsx/e.txt',
        ]) {
          await disk.write(key, key);
        }
      });

      it('separates files from directories in a shallow listing', async () => {
        const entries = await collect(disk.list('docs'));
        expect(entries.map(({ type, key }) => ({ type, key }))).toEqual([
          { type: 'file', key: 'docs/a.txt' },
          { type: 'file', key: 'docs/b.txt' },
          { type: 'directory', key: 'docs/sub/' },
        ]);
        expect(entries[0]).toMatchObject({ size: 10 });
        expect(entries[0].type === 'file' && entries[0].lastModified.getTime()).toBeGreaterThan(0);
        expect(await keysOf(disk.list())).toEqual(['docs/', 'docsx/']);
      });

      it('finds nested keys in a deep listing, and nothing beside the prefix', async () => {
        expect(await keysOf(disk.list('docs/', { deep: true }))).toEqual([
          'docs/a.txt',
          'docs/b.txt',
          'docs/sub/c.txt',
          'docs/sub/deeper/d.txt',
        ]);
        expect(await keysOf(disk.list('nothing/here', { deep: true }))).toEqual([]);
      });

      it('paginates past one page, deep and shallow', async () => {
        const deepPages = await pages(disk, '', true, 2);
        expect(deepPages.map((page) => page.entries.length)).toEqual([2, 2, 1]);
        expect(deepPages.flatMap((page) => page.entries.map((entry) => entry.key))).toEqual([
          'docs/a.txt',
          'docs/b.txt',
          'docs/sub/c.txt',
          'docs/sub/deeper/d.txt',
          'docsx/e.txt',
        ]);
        expect(await keysOf(disk.list('docs', { deep: true, pageSize: 1 }))).toHaveLength(4);

        await disk.write('docs/sub2/f.txt', 'f');
        const shallowPages = await pages(disk, 'docs', false, 1);
        expect(shallowPages.flatMap((page) => page.entries.map((entry) => entry.key))).toEqual([
          'docs/a.txt',
          'docs/b.txt',
          'docs/sub/',
          'docs/sub2/',
        ]);
      });
    });

    describe('copy, move and remove', () => {
      it('copies: the source stays and the destination is replaced, with metadata', async () => {
        await disk.write('src.txt', 'source', { contentType: 'text/plain', metadata: { origin: 'upload' } });
        await disk.write('copies/dst.txt', 'old destination', { contentType: 'text/html' });
        await disk.copy('src.txt', 'copies/dst.txt');
        expect((await disk.read('src.txt')).toString()).toBe('source');
        expect((await disk.read('copies/dst.txt')).toString()).toBe('source');
        expect(await disk.stat('copies/dst.txt')).toMatchObject({
          contentType: 'text/plain',
          metadata: { origin: 'upload' },
        });
      });

      it('moves: the source goes and content and metadata arrive', async () => {
        await disk.write('incoming/f1', 'payload', { contentType: 'image/png', metadata: { sha: 'abc' } });
        await disk.move('incoming/f1', 'files/deep/f1');
        expect(await disk.exists('incoming/f1')).toBe(false);
        expect((await disk.read('files/deep/f1')).toString()).toBe('payload');
        expect(await disk.stat('files/deep/f1')).toMatchObject({
          contentType: 'image/png',
          metadata: { sha: 'abc' },
        });
        // The source's folder goes with it. (Not a shallow listing of the root: s3rver's misses
        // folders whose objects all sit two or more levels down.)
        expect(await keysOf(disk.list('', { deep: true }))).toEqual(['files/deep/f1']);
        expect(await keysOf(disk.list())).not.toContain('incoming/');
      });

      it('throws FileNotFoundError when moving or copying a missing key', async () => {
        await expect(disk.move('missing', 'elsewhere')).rejects.toBeInstanceOf(FileNotFoundError);
        await expect(disk.copy('missing', 'elsewhere')).rejects.toBeInstanceOf(FileNotFoundError);
        expect(await disk.exists('elsewhere')).toBe(false);
      });

      it('removes idempotently', async () => {
        await disk.write('once.txt', 'x');
        await disk.remove('once.txt');
        await expect(disk.remove('once.txt')).resolves.toBeUndefined();
        await expect(disk.remove('never/was.txt')).resolves.toBeUndefined();
      });

      it('removes everything under a prefix and nothing beside it', async () => {
        for (const key of ['t/1/a', 't/1/b/c', 't/10/a', 't/1x', 'u/1/a']) await disk.write(key, key);
        await disk.removePrefix('t/1');
        expect(await keysOf(disk.list('', { deep: true }))).toEqual(['t/10/a', 't/1x', 'u/1/a']);
        await expect(disk.removePrefix('t/1')).resolves.toBeUndefined();
      });
    });

    describe('signed URLs', () => {
      it('serves the bytes over HTTP, with the download name asked for', async () => {
        await disk.write('links/report.csv', 'id,total\n1,42\n', { contentType: 'text/csv' });
        const url = await disk.signedUrl('links/report.csv', {
          expiresIn: 60,
          downloadName: 'Rapport été.csv',
        });
        const response = await fetch(url);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe('id,total\n1,42\n');
        expect(response.headers.get('content-disposition')).toContain(
          "filename*=UTF-8''Rapport%20%C3%A9t%C3%A9.csv",
        );
      });

      it('refuses an expired URL', async () => {
        const issuedAnHourAgo = await harness.createDisk(() => Date.now() - 3_600_000);
        await issuedAnHourAgo.write('links/old.txt', 'old');
        const url = await issuedAnHourAgo.signedUrl('links/old.txt', { expiresIn: 60 });
        expect((await fetch(url)).status).toBe(403);
      });

      itUnlessSkipped('tampered signed URL')('refuses a tampered URL', async () => {
        await disk.write('links/mine.txt', 'mine');
        await disk.write('links/theirs.txt', 'theirs');
        const url = await disk.signedUrl('links/mine.txt', { expiresIn: 60 });
        const tampered = url.replace(tokenPayload(url), (payload) =>
          Buffer.from(Buffer.from(payload, 'base64url').toString().replace('mine', 'theirs')).toString(
            'base64url',
          ),
        );
        expect(tampered).not.toBe(url);
        expect((await fetch(tampered)).status).toBe(403);
      });
    });

    describe('unsafe keys', () => {
      const unsafe: Array<[string, string]> = [
        ['a parent segment', '../escape.txt'],
        ['a parent segment inside', 'a/../../escape.txt'],
        ['an absolute path', '/etc/passwd'],
        ['a drive letter', 'C:/escape.txt'],
        ['a backslash', 'a\\..\\escape.txt'],
        ['a control character', 'bell\u0007.txt'],
        ['a newline', 'line\nbreak.txt'],
        ['NUL', 'nul\u0000.txt'],
        ['nothing', ''],
      ];

      it.each(unsafe)('refuses a key with %s, for every operation, and writes nothing', async (_, key) => {
        await disk.write('safe.txt', 'safe');
        const attempts: Array<() => Promise<unknown>> = [
          () => disk.write(key, 'x'),
          () => disk.write(key, Readable.from([Buffer.from('x')])),
          () => disk.read(key),
          () => disk.readStream(key),
          () => disk.exists(key),
          () => disk.stat(key),
          () => disk.copy('safe.txt', key),
          () => disk.copy(key, 'copy.txt'),
          () => disk.move('safe.txt', key),
          () => disk.remove(key),
          () => disk.signedUrl(key, { expiresIn: 60 }),
        ];
        if (key !== '') {
          attempts.push(
            () => disk.removePrefix(key),
            () => disk.listPage(key),
          );
        }
        for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(InvalidPathError);
        expect(await keysOf(disk.list('', { deep: true }))).toEqual(['safe.txt']);
      });
    });

    it('answers its health check', async () => {
      await expect(disk.check()).resolves.toBeUndefined();
    });
  });
}

/** Deterministic, incompressible-looking bytes. */
export function bytes(length: number): Buffer {
  const data = Buffer.alloc(length);
  let state = 0x9e3779b9;
  for (let index = 0; index < length; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    data[index] = state & 0xff;
  }
  return data;
}

/** A stream of `content` in chunks of `size`, whose length the consumer cannot know in advance. */
export function chunked(content: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < content.length; offset += size)
        yield content.subarray(offset, offset + size);
    })(),
  );
}

export async function collect(entries: AsyncIterable<ListEntry>): Promise<ListEntry[]> {
  const all: ListEntry[] = [];
  for await (const entry of entries) all.push(entry);
  return all;
}

export async function keysOf(entries: AsyncIterable<ListEntry>): Promise<string[]> {
  return (await collect(entries)).map((entry) => entry.key);
}

async function pages(disk: Disk, prefix: string, deep: boolean, limit: number): Promise<ListPage[]> {
  const all: ListPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await disk.listPage(prefix, { deep, limit, cursor });
    all.push(page);
    cursor = page.cursor;
  } while (cursor !== undefined && all.length < 100);
  return all;
}

/** The claims half of a download token (`<claims>.<mac>`) in a signed URL. */
function tokenPayload(url: string): string {
  return new URL(url).pathname.split('/').pop()?.split('.')[0] ?? '';
}
