import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { loadS3Support, type S3DiskConfig } from '@depot/storage';

const { createS3Client } = loadS3Support();

export interface S3rver {
  endpoint: string;
  /** A disk config for `bucket` on this server, as `storage.disks.<name>` would hold it. */
  diskConfig(bucket: string): S3DiskConfig;
  /** The environment that makes a booted app's default disk `bucket` on this server. */
  appEnv(bucket: string): Record<string, string>;
  /** A client as the s3 driver builds one, for tests and baselines that talk S3 directly. */
  client(): S3Client;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 15_000;
/** The only access key s3rver accepts (as key id and secret alike). */
const ACCESS_KEY = 'S3RVER';
const REGION = 'us-east-1';

/**
 * Starts s3rver (an S3-compatible server on npm) in a child process, on a port the OS picks,
 * storing into a fresh temporary folder with `buckets` created. `--openssl-legacy-provider`
 * because s3rver's paginated listings hash with MD4 and answer 500 without it. It accepts
 * only the access key `S3RVER`; it does not check signatures.
 */
export async function startS3rver(buckets: string[] = []): Promise<S3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'depot-s3rver-'));
  const args = [
    '--openssl-legacy-provider',
    require.resolve('s3rver/bin/s3rver.js'),
    ...['--directory', directory, '--address', '127.0.0.1', '--port', '0', '--silent', '--no-vhost-buckets'],
    ...buckets.flatMap((bucket) => ['--configure-bucket', bucket]),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = (): void => void child.kill();
  process.once('exit', killOnExit);

  let port: number;
  try {
    port = await listeningPort(child);
  } catch (error) {
    child.kill();
    await rm(directory, { recursive: true, force: true });
    throw error;
  }

  const endpoint = `http://127.0.0.1:${port}`;
  const diskConfig = (bucket: string): S3DiskConfig => ({
    driver: 's3',
    bucket,
    region: REGION,
    endpoint,
    forcePathStyle: true,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: ACCESS_KEY,
  });
  const appEnv = (bucket: string): Record<string, string> => ({
    STORAGE_DISK: 's3',
    S3_ENDPOINT: endpoint,
    S3_BUCKET: bucket,
    S3_REGION: REGION,
    S3_ACCESS_KEY_ID: ACCESS_KEY,
    S3_SECRET_ACCESS_KEY: ACCESS_KEY,
    S3_FORCE_PATH_STYLE: 'true',
  });
  return {
    endpoint,
    diskConfig,
    appEnv,
    client: () => createS3Client(diskConfig('unused')),
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Reads s3rver's "S3rver listening on 127.0.0.1:<port>" line. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`s3rver did not start within ${STARTUP_TIMEOUT_MS} ms`)),
      STARTUP_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on [^\s:]+:(\d+)/.exec(output);
      if (match) done(() => resolve(Number(match[1])));
    };
    const onExit = (code: number | null): void =>
      fail(new Error(`s3rver exited with ${code}: ${output.trim()}`));
    const fail = (error: Error): void => done(() => reject(error));
    const done = (settle: () => void): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      settle();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}
