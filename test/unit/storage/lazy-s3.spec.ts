import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '../../..');

/**
 * `@depot/storage` loads the AWS SDK only when an s3 disk is opened. Checked in a fresh
 * Node process (Jest's module registry is not Node's): what `require.cache` holds after
 * opening a local disk, then after opening an s3 one, which must still work.
 */
describe('lazy S3 support', () => {
  it('leaves the AWS SDK unloaded until an s3 disk is opened', async () => {
    const script = `
      const storage = require('./libs/storage/src');
      const sdkLoaded = () => Object.keys(require.cache).some((path) => path.includes('/@aws-sdk/client-s3/'));
      storage.openDisk('local', { driver: 'local', root: require('node:os').tmpdir() }).close();
      const afterLocal = sdkLoaded();
      const s3 = storage.openDisk('s3', {
        driver: 's3', bucket: 'bucket', region: 'us-east-1', endpoint: 'http://127.0.0.1:9', forcePathStyle: true,
      });
      const afterS3 = sdkLoaded();
      s3.close();
      console.log(JSON.stringify({ afterLocal, afterS3, s3Disk: s3.disk.name }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', '-e', script],
      { cwd: ROOT, env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.cli.json' } },
    );
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({
      afterLocal: false,
      afterS3: true,
      s3Disk: 's3',
    });
  });
});
