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
  // Each test compiles and starts a Node process: seconds when the machine is busy.
  jest.setTimeout(30_000);
  const run = async (script: string): Promise<unknown> => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', '-e', script],
      {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.cli.json' },
      },
    );
    return JSON.parse(stdout.trim().split('\n').pop()!);
  };
  const SDK_LOADED = `const sdkLoaded = () => Object.keys(require.cache).some((path) => path.includes('/@aws-sdk/client-s3/'));`;

  it('StorageService builds a configured s3 disk, and loads the SDK, only when it is asked for', async () => {
    const script = `
      const storage = require('./libs/storage/src');
      ${SDK_LOADED}
      const disks = {
        local: { driver: 'local', root: require('node:os').tmpdir() },
        s3: { driver: 's3', bucket: 'bucket', region: 'us-east-1', endpoint: 'http://127.0.0.1:9', forcePathStyle: true },
      };
      const service = new storage.StorageService(
        { default: 'local', disks },
        { publicUrl: 'http://127.0.0.1' },
        new storage.LinkSigner('x'.repeat(32)),
        {},
      );
      const local = service.disk().name;
      const afterLocal = sdkLoaded();
      const s3 = service.disk('s3').name;
      const afterS3 = sdkLoaded();
      const same = service.disk('s3') === service.disk('s3');
      let unknown = '';
      try { service.disk('__proto__'); } catch (error) { unknown = error.message; }
      service.onApplicationShutdown();
      console.log(JSON.stringify({ local, afterLocal, s3, afterS3, same, unknown }));
    `;
    expect(await run(script)).toEqual({
      local: 'local',
      afterLocal: false,
      s3: 's3',
      afterS3: true,
      same: true,
      unknown: 'no disk named "__proto__"; configured: local, s3',
    });
  });

  it('leaves the AWS SDK unloaded until an s3 disk is opened', async () => {
    const script = `
      const storage = require('./libs/storage/src');
      ${SDK_LOADED}
      storage.openDisk('local', { driver: 'local', root: require('node:os').tmpdir() }).close();
      const afterLocal = sdkLoaded();
      const s3 = storage.openDisk('s3', {
        driver: 's3', bucket: 'bucket', region: 'us-east-1', endpoint: 'http://127.0.0.1:9', forcePathStyle: true,
      });
      const afterS3 = sdkLoaded();
      s3.close();
      console.log(JSON.stringify({ afterLocal, afterS3, s3Disk: s3.disk.name }));
    `;
    expect(await run(script)).toEqual({
      afterLocal: false,
      afterS3: true,
      s3Disk: 's3',
    });
  });
});
