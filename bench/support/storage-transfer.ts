/**
 * One transfer of the storage benchmark, run in a fresh child process: the child of a full
 * run is `bench/storage.bench.ts --transfer <spec>`, that of a quick run the bundle of
 * `storage-transfer.script.ts`, which loads this file alone.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DriverDisk, loadS3Support, LocalDriver } from '@depot/storage';
import { patternStream } from './inputs';
import { readMemory } from './rss-sampler';
import { mbPerSecond, MiB, nowMs } from './timing';

export type Backend = 'local' | 's3';
export type Direction = 'write' | 'read';
/** `durable`: the local driver as configured (flushes before renaming); `fsync`: a raw pipeline that flushes too. */
export type Variant = 'depot' | 'depot-not-durable' | 'raw' | 'raw-fsync';

/** One transfer, run by a child process. */
export interface TransferSpec {
  backend: Backend;
  direction: Direction;
  variant: Variant;
  bytes: number;
  folder: string;
  endpoint?: string;
}

export interface Sample {
  mbPerSecond: number;
  rssGrowthMiB: number;
}

export const BUCKET = { depot: 'bench', raw: 'bench-raw' } as const;
export const DEPOT_KEY = 'bench/object.bin';
export const RAW_OBJECT = { Bucket: BUCKET.raw, Key: 'object.bin' };

/** In the child: prepares the transfer, then times it and samples this process's RSS. */
export async function measureTransfer(spec: TransferSpec): Promise<Sample> {
  const transfer = await prepareTransfer(spec);
  (globalThis as { gc?: () => void }).gc?.();
  const before = readMemory(process.pid)!;
  let peak = before.rssBytes;
  const sampler = setInterval(() => {
    peak = Math.max(peak, readMemory(process.pid)?.rssBytes ?? 0);
  }, 20);
  const started = nowMs();
  try {
    const transferred = await transfer();
    if (transferred !== spec.bytes)
      throw new Error(`transferred ${transferred} bytes, expected ${spec.bytes}`);
  } finally {
    clearInterval(sampler);
  }
  const ms = nowMs() - started;
  const after = readMemory(process.pid)!;
  // VmHWM only ever grows: if it moved, it saw this transfer's true peak.
  if (after.peakBytes > before.peakBytes) peak = Math.max(peak, after.peakBytes);
  return {
    mbPerSecond: mbPerSecond(spec.bytes, ms),
    rssGrowthMiB: Math.max(0, peak - before.rssBytes) / MiB,
  };
}

/**
 * The transfer a spec describes, resolving to the number of bytes moved. The S3 SDK is loaded
 * only for an S3 transfer (before anything is measured).
 */
async function prepareTransfer({
  backend,
  direction,
  variant,
  bytes,
  folder,
  endpoint,
}: TransferSpec): Promise<() => Promise<number>> {
  const source = (): Readable => patternStream(bytes);
  if (backend === 'local') {
    const rawFile = join(folder, 'raw.bin');
    const disk = new DriverDisk(
      'bench',
      new LocalDriver({ root: join(folder, 'disk'), durable: variant !== 'depot-not-durable' }),
    );
    const depot = variant.startsWith('depot');
    if (direction === 'read') {
      return depot
        ? async () => drain(await disk.readStream(DEPOT_KEY))
        : () => drain(createReadStream(rawFile));
    }
    if (depot) return () => disk.write(DEPOT_KEY, source()).then(() => bytes);
    const flush = variant === 'raw-fsync';
    return () => pipeline(source(), createWriteStream(rawFile, { flush })).then(() => bytes);
  }

  const config = {
    driver: 's3',
    bucket: BUCKET.depot,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
  } as const;
  const [{ GetObjectCommand }, { Upload }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/lib-storage'),
  ]);
  const { createS3Client, S3Driver } = loadS3Support();
  const client = createS3Client({ ...config, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
  const disk = new DriverDisk('bench', new S3Driver({ client, bucket: BUCKET.depot, endpoint }));
  if (variant === 'raw') {
    return direction === 'write'
      ? () => new Upload({ client, params: { ...RAW_OBJECT, Body: source() } }).done().then(() => bytes)
      : async () => drain((await client.send(new GetObjectCommand(RAW_OBJECT))).Body as Readable);
  }
  return direction === 'write'
    ? () => disk.write(DEPOT_KEY, source()).then(() => bytes)
    : async () => drain(await disk.readStream(DEPOT_KEY));
}

/** Reads a stream to its end, keeping nothing; resolves to the byte count. */
async function drain(stream: Readable): Promise<number> {
  let bytes = 0;
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    }),
  );
  return bytes;
}
