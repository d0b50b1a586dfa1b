import { type AddressInfo, createServer } from 'node:net';
import { probeDisk, StorageError } from '@depot/storage';
import { describeDiskContract } from './disk.contract';
import { s3Harness } from './support/harness';
import { type S3rver, startS3rver } from './support/s3rver';

describeDiskContract('s3', s3Harness, {
  skip: {
    // s3rver does not verify request signatures (only the access key id and expiry); AWS and
    // MinIO refuse an altered presigned URL with 403 SignatureDoesNotMatch.
    'tampered signed URL': 's3rver does not verify signatures',
  },
});

describe('s3 disk health check', () => {
  let server: S3rver;

  beforeAll(async () => {
    server = await startS3rver(['present']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('passes when the bucket answers', async () => {
    await expect(probeDisk('s3', server.diskConfig('present'))).resolves.toBeUndefined();
  });

  it('fails naming the bucket and endpoint when the bucket is missing', async () => {
    const error = await probeDisk('s3', server.diskConfig('absent')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toContain(`bucket "absent" at ${server.endpoint}`);
    expect(error).toMatchObject({ operation: 'check', hint: expect.stringContaining('bucket exists') });
  });

  it('fails when nothing listens at the endpoint', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const config = { ...server.diskConfig('present'), endpoint: `http://127.0.0.1:${closedPort}` };
    await expect(probeDisk('s3', config)).rejects.toThrow(/ECONNREFUSED/);
  });
});
