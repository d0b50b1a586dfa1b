/**
 * Streams N bytes (1 GiB by default) through the storage drivers beside the raw baseline,
 * in the same run, and reads them back:
 *
 * - local: `Disk.write(stream)` / `Disk.readStream()` on the local driver (a staged file,
 *   flushed, renamed over the key, plus its metadata sidecar) beside `stream.pipeline` to
 *   and from a plain file. The driver flushes (fsync) before the rename unless built with
 *   `durable: false`, so it is compared with a pipeline that flushes too, and, built
 *   with `durable: false`, with the plain pipeline.
 * - s3: the s3 driver against s3rver (a child process), beside a bare lib-storage `Upload`
 *   with the SDK's defaults and a bare `GetObject`.
 *
 * The bytes are one random 1 MiB chunk repeated, generated as they are consumed. Every
 * transfer runs in a fresh child process, so that one's heap is not the next one's
 * growth: peak RSS growth is that process's resident set above its level when the transfer
 * began (sampled every 20 ms, and the kernel's high-water mark when it moved). Before each
 * transfer `sync` writes back what earlier ones left dirty, and each write makes a new
 * object (the previous one is removed beforehand, untimed). Figures are medians of rounds
 * in which raw and Depot alternate, in an order that shifts every round.
 *
 *     npm run bench:storage -- [--size 1GiB] [--s3-size 256MiB] [--rounds 3] [--quick]
 *
 * `--size` sets both sizes, `--s3-size` the s3 one alone (default 256 MiB: s3rver stores
 * every part in a file and concatenates them at the end, so it is slow).
 *
 * Targets: the local driver at least 0.8 of raw; RSS growth under 64 MiB whatever the size.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
// Loaded up front by the full runs' child (this file), as it was when its figures were
// measured; the transfer itself loads it only for an S3 transfer.
import '@aws-sdk/lib-storage';
import { startS3rver } from '../test/integration/storage/support/s3rver';
import type { Bench, BenchOptions, BenchRow, Target } from './support/bench-row';
import { reportResult, spawnBundled, spawnScript } from './support/processes';
import { parseSize, STANDALONE_OPTIONS, standaloneSettings } from './support/standalone';
import {
  type Backend,
  BUCKET,
  DEPOT_KEY,
  type Direction,
  measureTransfer,
  RAW_OBJECT,
  type Sample,
  type TransferSpec,
  type Variant,
} from './support/storage-transfer';
import { formatTable } from './support/table';
import { withTeardown } from './support/teardown';
import { GiB, median, MiB, settleMsBefore, sleep } from './support/timing';

export interface StorageBenchSizes {
  /** Bytes streamed through the local driver and its baselines. */
  localBytes: number;
  /** Bytes streamed through the s3 driver and its baseline. */
  s3Bytes: number;
  rounds: number;
  /**
   * Each transfer's child runs from one bundle of this file instead of through
   * @swc-node/register: it boots in a fraction of the time. Quick runs only: the child's
   * heap at rest differs, and with it the small RSS growths, so full runs keep the
   * child they were measured with.
   */
  bundledChild: boolean;
}

export const FULL_SIZES: StorageBenchSizes = {
  localBytes: GiB,
  s3Bytes: 256 * MiB,
  rounds: 3,
  bundledChild: false,
};
export const QUICK_SIZES: StorageBenchSizes = {
  localBytes: 32 * MiB,
  s3Bytes: 16 * MiB,
  rounds: 1,
  bundledChild: true,
};

const RSS_LIMIT_MIB = 64;
const TRANSFER_TIMEOUT_MS = 10 * 60_000;
const BENCH_FILE = 'bench/storage.bench.ts';

export const storageBench: Bench = (options) =>
  runStorageBench(options, options.quick ? QUICK_SIZES : FULL_SIZES);

export async function runStorageBench({ log }: BenchOptions, sizes: StorageBenchSizes): Promise<BenchRow[]> {
  return withTeardown(async (teardown) => {
    const folder = await mkdtemp(join(tmpdir(), 'depot-storage-bench-'));
    teardown.add(() => rm(folder, { recursive: true, force: true }));
    const server = await startS3rver([BUCKET.depot, BUCKET.raw]);
    teardown.add(() => server.stop());

    const client = server.client();
    teardown.add(() => client.destroy());
    // Each write makes a new object, as an upload does: the previous one is removed beforehand,
    // untimed, so that no side pays for freeing the blocks of the last round's object.
    const removePrevious = async (backend: Backend, variant: Variant): Promise<void> => {
      const depot = variant.startsWith('depot');
      if (backend === 'local') {
        await rm(depot ? join(folder, 'disk', DEPOT_KEY) : join(folder, 'raw.bin'), { force: true });
      } else {
        await client.send(
          new DeleteObjectCommand(depot ? { Bucket: BUCKET.depot, Key: DEPOT_KEY } : RAW_OBJECT),
        );
      }
    };

    const samples = new Map<string, Sample[]>();
    const run = async (
      backend: Backend,
      direction: Direction,
      variant: Variant,
      round: number,
    ): Promise<void> => {
      const bytes = backend === 'local' ? sizes.localBytes : sizes.s3Bytes;
      if (direction === 'write') await removePrevious(backend, variant);
      const sample = await runTransfer(
        { backend, direction, variant, bytes, folder, endpoint: server.endpoint },
        sizes,
      );
      const id = `${backend} ${direction} ${variant}`;
      samples.set(id, [...(samples.get(id) ?? []), sample]);
      log(
        `storage: round ${round} ${id}: ${sample.mbPerSecond.toFixed(0)} MB/s, ` +
          `RSS +${sample.rssGrowthMiB.toFixed(1)} MiB`,
      );
    };

    // Each round starts the sequence one step later, so that no variant always follows the same one.
    const rotate = <T>(items: readonly T[], round: number): T[] => {
      const start = round % items.length;
      return [...items.slice(start), ...items.slice(0, start)];
    };
    for (let round = 1; round <= sizes.rounds; round++) {
      for (const variant of rotate(['raw', 'depot', 'raw-fsync', 'depot-not-durable'] as const, round)) {
        await run('local', 'write', variant, round);
      }
      for (const variant of rotate(['raw', 'depot'] as const, round))
        await run('local', 'read', variant, round);
      for (const direction of ['write', 'read'] as const) {
        for (const variant of rotate(['raw', 'depot'] as const, round))
          await run('s3', direction, variant, round);
      }
    }

    const of = (id: string, pick: (sample: Sample) => number): number => median(samples.get(id)!.map(pick));
    const throughput = (
      figure: string,
      depot: string,
      raw: string,
      target: Target,
      note?: string,
    ): BenchRow => ({
      figure,
      depot: { value: of(depot, (s) => s.mbPerSecond), unit: 'MB/s' },
      baseline: { value: of(raw, (s) => s.mbPerSecond), unit: 'MB/s' },
      target,
      note,
    });
    const rss = (figure: string, depot: string, raw: string): BenchRow => ({
      figure,
      depot: { value: of(depot, (s) => s.rssGrowthMiB), unit: 'MiB' },
      baseline: { value: of(raw, (s) => s.rssGrowthMiB), unit: 'MiB' },
      target: { kind: 'depot-max', max: RSS_LIMIT_MIB, unit: 'MiB' },
    });
    const atLeast = (min: number): Target => ({ kind: 'ratio-min', min });
    const local = `local ${formatBytes(sizes.localBytes)}`;
    const s3 = `s3 (s3rver) ${formatBytes(sizes.s3Bytes)}`;
    return [
      throughput(
        `${local}: write, MB/s (both flushed)`,
        'local write depot',
        'local write raw-fsync',
        atLeast(0.8),
      ),
      throughput(
        `${local}: write, MB/s (durable: false, plain pipeline)`,
        'local write depot-not-durable',
        'local write raw',
        atLeast(0.8),
      ),
      throughput(`${local}: read, MB/s`, 'local read depot', 'local read raw', atLeast(0.8)),
      rss(`${local}: write, peak RSS growth`, 'local write depot', 'local write raw'),
      rss(`${local}: read, peak RSS growth`, 'local read depot', 'local read raw'),
      throughput(
        `${s3}: write, MB/s`,
        's3 write depot',
        's3 write raw',
        { kind: 'none' },
        'raw: lib-storage Upload with its defaults (5 MiB parts, 4 in flight); Depot: 8 MiB parts, 1 in flight, to stay under the RSS target',
      ),
      throughput(`${s3}: read, MB/s`, 's3 read depot', 's3 read raw', { kind: 'none' }),
      rss(`${s3}: write, peak RSS growth`, 's3 write depot', 's3 write raw'),
      rss(`${s3}: read, peak RSS growth`, 's3 read depot', 's3 read raw'),
    ];
  });
}

/** Runs one transfer in a fresh child process of this file and returns what it measured. */
async function runTransfer(
  spec: TransferSpec,
  { bundledChild }: Pick<StorageBenchSizes, 'bundledChild'>,
): Promise<Sample> {
  execFileSync('sync'); // what earlier transfers left dirty is not written back during this one
  await sleep(settleMsBefore(spec.bytes));
  const child = await (bundledChild ? spawnBundled : spawnScript)(
    `storage ${spec.variant} ${spec.direction}`,
    bundledChild ? 'bench/support/storage-transfer.script.ts' : BENCH_FILE,
    ['--transfer', JSON.stringify(spec)],
    { nodeArgs: ['--expose-gc'] },
  );
  try {
    return await child.nextResult<Sample>(TRANSFER_TIMEOUT_MS);
  } finally {
    await child.stop();
  }
}

function formatBytes(bytes: number): string {
  return bytes >= GiB && bytes % GiB === 0 ? `${bytes / GiB} GiB` : `${Math.round(bytes / MiB)} MiB`;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const transfer = argv.indexOf('--transfer');
  const main =
    transfer === -1
      ? runStorageBench(
          STANDALONE_OPTIONS,
          standaloneSettings(QUICK_SIZES, FULL_SIZES, {
            size: (sizes, value) => (sizes.localBytes = sizes.s3Bytes = parseSize(value)),
            's3-size': (sizes, value) => (sizes.s3Bytes = parseSize(value)),
            rounds: (sizes, value) => (sizes.rounds = Number(value)),
          }),
        ).then((rows) => void process.stdout.write(`${formatTable(rows)}\n`))
      : measureTransfer(JSON.parse(argv[transfer + 1]) as TransferSpec).then(reportResult);
  main.catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
