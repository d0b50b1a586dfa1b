import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import {
  type Disk,
  DownloadLinks,
  DriverDisk,
  LinkSigner,
  loadS3Support,
  LocalDriver,
  MemoryDriver,
  ScopedDisk,
} from '@depot/storage';
import { startDownloadServer } from './download-server';
import { startS3rver } from './s3rver';

/** Builds fresh, empty disks of one kind for the contract suite, and tears down what they need. */
export interface DiskHarness {
  /** A new, empty disk. `now` is the clock its signed URLs are dated with (default: the real one). */
  createDisk(now?: () => number): Promise<Disk>;
  close(): Promise<void>;
}

export const SIGNING_SECRET = 'contract-suite-signing-secret-0123456789';

/**
 * Disks whose signed URLs are the api's download links, served here by a small HTTP server
 * that verifies tokens with the real clock.
 */
async function linkedHarness(
  build: (name: string, links: DownloadLinks) => Promise<{ disk: Disk; served?: Disk }>,
): Promise<DiskHarness> {
  const disks = new Map<string, Disk>();
  const server = await startDownloadServer(new LinkSigner(SIGNING_SECRET), disks);
  return {
    async createDisk(now) {
      const name = `disk-${disks.size + 1}`;
      const links = new DownloadLinks(new LinkSigner(SIGNING_SECRET, { now }), server.publicUrl);
      const { disk, served = disk } = await build(name, links);
      disks.set(name, served);
      return disk;
    },
    close: () => server.close(),
  };
}

export function memoryHarness(): Promise<DiskHarness> {
  return linkedHarness(async (name, links) => ({
    disk: new DriverDisk(name, new MemoryDriver(), { links }),
  }));
}

/** A memory disk seen through a scope, to hold the scoped wrapper to the same contract. */
export function scopedMemoryHarness(): Promise<DiskHarness> {
  return linkedHarness(async (name, links) => {
    // Links name the full key on the underlying disk, which is what the api serves from.
    const served = new DriverDisk(name, new MemoryDriver(), { links });
    return { disk: new ScopedDisk(served, 'tenants/t-1'), served };
  });
}

/** Local disks, each rooted in its own folder under one temporary folder; `roots` finds them. */
export async function localHarness(): Promise<DiskHarness & { roots: Map<Disk, string> }> {
  const parent = await mkdtemp(join(tmpdir(), 'depot-local-disk-'));
  const roots = new Map<Disk, string>();
  const harness = await linkedHarness(async (name, links) => {
    const root = join(parent, name);
    const disk = new DriverDisk(name, new LocalDriver({ root }), { links });
    roots.set(disk, root);
    return { disk };
  });
  return {
    ...harness,
    roots,
    async close() {
      await harness.close();
      await rm(parent, { recursive: true, force: true });
    },
  };
}

/** S3 disks against a real s3rver child process, one bucket per disk. */
export async function s3Harness(): Promise<DiskHarness & { endpoint: string }> {
  const server = await startS3rver();
  const clients: Array<{ destroy(): void }> = [];
  let count = 0;
  return {
    endpoint: server.endpoint,
    async createDisk(now) {
      const config = server.diskConfig(`contract-${++count}`);
      const { createS3Client, S3Driver } = loadS3Support();
      const client = createS3Client(config);
      clients.push(client);
      await client.send(new CreateBucketCommand({ Bucket: config.bucket }));
      // 5 MiB parts (S3's minimum), so that a test stream of a few MiB goes up in several parts.
      const driver = new S3Driver({
        client,
        bucket: config.bucket,
        endpoint: config.endpoint,
        partSize: 5 * 1024 * 1024,
        now,
      });
      return new DriverDisk(config.bucket, driver);
    },
    async close() {
      for (const client of clients) client.destroy();
      await server.stop();
    },
  };
}
