import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataStore, ERRORS, Upload } from '@tus/utils';
import { type Disk, FileNotFoundError } from '@depot/storage';

interface UploadInfo {
  size?: number;
  metadata?: Record<string, string | null>;
  creation_date?: string;
}

/** Chunk keys sort in offset order: the offset, zero-padded. */
const OFFSET_DIGITS = 16;

/**
 * A tus DataStore on any Depot {@link Disk} (used for S3 and memory disks): each PATCH is
 * written as one object, `{id}/chunks/{offset}`, and the upload's details as `{id}.info`.
 * The offset is the sum of the stored chunks, so it is read from the disk alone and any
 * replica can go on from it. A chunk is stored whole or not at all (the drivers write
 * atomically), so an interrupted PATCH keeps its bytes only if they were all stored, and
 * the client resends from the offset the store reports.
 *
 * Once complete, {@link assemble} streams the chunks in order into one object. It works
 * against every S3-compatible server (it needs no ListParts or UploadPartCopy, which some
 * lack), at the price of reading the bytes back once at the end.
 */
export class DiskChunkStore extends DataStore {
  constructor(
    private readonly disk: Disk,
    private readonly expirationPeriodInMilliseconds: number,
  ) {
    super();
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  override async create(upload: Upload): Promise<Upload> {
    upload.creation_date = upload.creation_date ?? new Date().toISOString();
    const info: UploadInfo = {
      size: upload.size,
      metadata: upload.metadata,
      creation_date: upload.creation_date,
    };
    await this.disk.write(infoKey(upload.id), JSON.stringify(info), { contentType: 'application/json' });
    return upload;
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    const counter = new ByteCounter();
    const chunk = chunkKey(id, offset);
    await Promise.all([pipeline(stream, counter), this.disk.write(chunk, counter)]);
    if (counter.bytes === 0) await this.disk.remove(chunk);
    return offset + counter.bytes;
  }

  override async getUpload(id: string): Promise<Upload> {
    const info = await this.readInfo(id);
    let offset = 0;
    for await (const entry of this.disk.list(chunksPrefix(id))) {
      if (entry.type === 'file') offset += entry.size;
    }
    return new Upload({
      id,
      size: info.size,
      offset,
      metadata: info.metadata,
      creation_date: info.creation_date,
      storage: { type: 'depot-disk', path: id },
    });
  }

  override async remove(id: string): Promise<void> {
    await this.readInfo(id);
    await this.disk.removePrefix(chunksPrefix(id));
    await this.disk.remove(infoKey(id));
  }

  override getExpiration(): number {
    return this.expirationPeriodInMilliseconds;
  }

  /**
   * Streams the complete upload's chunks, in order, into `target`; then removes them.
   * Refuses (and leaves `target` alone) unless the chunks add up to the whole upload, so a
   * second assembly racing the first can never write a short object over its result.
   */
  async assemble(id: string, target: string): Promise<void> {
    const info = await this.readInfo(id);
    const keys: string[] = [];
    let bytes = 0;
    for await (const entry of this.disk.list(chunksPrefix(id))) {
      if (entry.type === 'file') {
        keys.push(entry.key);
        bytes += entry.size;
      }
    }
    if (bytes !== info.size) {
      throw new Error(`upload ${id} has ${bytes} of its ${info.size} bytes; it cannot be assembled`);
    }
    keys.sort();
    const disk = this.disk;
    async function* content(): AsyncGenerator<Buffer> {
      for (const key of keys) {
        for await (const piece of await disk.readStream(key)) yield piece as Buffer;
      }
    }
    await this.disk.write(target, Readable.from(content(), { objectMode: false }));
    await this.disk.removePrefix(chunksPrefix(id));
    await this.disk.remove(infoKey(id));
  }

  private async readInfo(id: string): Promise<UploadInfo> {
    try {
      return JSON.parse((await this.disk.read(infoKey(id))).toString('utf8')) as UploadInfo;
    } catch (error) {
      if (error instanceof FileNotFoundError) throw ERRORS.FILE_NOT_FOUND;
      throw error;
    }
  }
}

function infoKey(id: string): string {
  return `${id}.info`;
}

function chunksPrefix(id: string): string {
  return `${id}/chunks`;
}

function chunkKey(id: string, offset: number): string {
  return `${chunksPrefix(id)}/${String(offset).padStart(OFFSET_DIGITS, '0')}`;
}

class ByteCounter extends Transform {
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}
