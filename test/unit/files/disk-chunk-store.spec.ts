import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Upload } from '@tus/utils';
import { DriverDisk, MemoryDriver } from '@depot/storage';
import { DiskChunkStore } from '../../../libs/files/src/intake/disk-chunk-store';

/** The tus DataStore Depot uses on S3 and memory disks, on a memory disk. */
describe('DiskChunkStore', () => {
  const DAY_MS = 24 * 3600 * 1000;
  let disk: DriverDisk;
  let store: DiskChunkStore;

  beforeEach(() => {
    disk = new DriverDisk('main', new MemoryDriver());
    store = new DiskChunkStore(disk, DAY_MS);
  });

  const create = (id: string, size: number): Promise<Upload> =>
    store.create(new Upload({ id, size, offset: 0, metadata: { filename: 'a.bin' } }));

  it('declares what it supports, and no deferred length', () => {
    expect(store.extensions).toEqual(['creation', 'creation-with-upload', 'termination', 'expiration']);
    expect(store.getExpiration()).toBe(DAY_MS);
  });

  it('reports the offset from the stored chunks, so another process can go on from it', async () => {
    const bytes = randomBytes(5000);
    await create('uploads/u1', bytes.length);
    expect(await store.write(Readable.from([bytes.subarray(0, 1200)]), 'uploads/u1', 0)).toBe(1200);
    expect(await store.write(Readable.from([bytes.subarray(1200, 3000)]), 'uploads/u1', 1200)).toBe(3000);

    const again = new DiskChunkStore(disk, DAY_MS);
    const upload = await again.getUpload('uploads/u1');
    expect(upload).toMatchObject({
      id: 'uploads/u1',
      size: 5000,
      offset: 3000,
      metadata: { filename: 'a.bin' },
    });
    expect(upload.creation_date).toBeTruthy();
  });

  it('assembles the chunks in offset order into one object and forgets them', async () => {
    const bytes = randomBytes(25_000);
    await create('uploads/u2', bytes.length);
    // Ten chunks, so that offset order and string order of unpadded offsets would differ.
    for (let offset = 0; offset < bytes.length; offset += 2500) {
      await store.write(Readable.from([bytes.subarray(offset, offset + 2500)]), 'uploads/u2', offset);
    }
    await store.assemble('uploads/u2', 'incoming/u2');
    expect((await disk.read('incoming/u2')).equals(bytes)).toBe(true);
    expect(await disk.exists('uploads/u2.info')).toBe(false);
    await expect(store.getUpload('uploads/u2')).rejects.toMatchObject({ status_code: 404 });
  });

  it('refuses to assemble an incomplete upload, and leaves the target alone', async () => {
    await disk.write('incoming/u5', 'the real bytes');
    await create('uploads/u5', 100);
    await store.write(Readable.from([Buffer.alloc(40)]), 'uploads/u5', 0);
    await expect(store.assemble('uploads/u5', 'incoming/u5')).rejects.toThrow(/40 of its 100 bytes/);
    expect((await disk.read('incoming/u5')).toString()).toBe('the real bytes');
    // Once assembled and forgotten, a second assembly finds nothing to write.
    await store.write(Readable.from([Buffer.alloc(60)]), 'uploads/u5', 40);
    await store.assemble('uploads/u5', 'incoming/u5');
    await expect(store.assemble('uploads/u5', 'incoming/u5')).rejects.toMatchObject({ status_code: 404 });
    expect((await disk.read('incoming/u5')).length).toBe(100);
  });

  it('keeps nothing of a write whose stream failed', async () => {
    await create('uploads/u3', 100);
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(10));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(store.write(failing, 'uploads/u3', 0)).rejects.toThrow();
    expect((await store.getUpload('uploads/u3')).offset).toBe(0);
  });

  it('removes an upload, and answers the tus not-found for an unknown one', async () => {
    await create('uploads/u4', 10);
    await store.write(Readable.from([Buffer.alloc(4)]), 'uploads/u4', 0);
    await store.remove('uploads/u4');
    expect(await disk.exists('uploads/u4.info')).toBe(false);
    await expect(store.remove('uploads/u4')).rejects.toMatchObject({ status_code: 404 });
  });
});
