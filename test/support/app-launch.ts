import { createServer } from 'node:net';
import { join } from 'node:path';
import { APP_NODE_ARGS } from '../../scripts/launcher/app-node-args';

/**
 * Where a built app runs, for tests and benches alike (this file imports nothing of the
 * repository but a constant, so a bench's bare baseline that loads it loads no Depot code).
 */

export type AppName = 'api' | 'worker' | 'scheduler';

/** The repository root. */
export const ROOT = join(__dirname, '../..');
const PORT_VARIABLE: Record<AppName, string> = {
  api: 'PORT',
  worker: 'WORKER_PORT',
  scheduler: 'SCHEDULER_PORT',
};

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * How to run a built app on `port` of loopback, as production does: node's options, its
 * entry point and the variables that put it there (a test's or a bench's environment comes
 * on top).
 */
export function appLaunch(
  name: AppName,
  port: number,
): { nodeArgs: string[]; main: string; url: string; env: Record<string, string> } {
  const url = `http://127.0.0.1:${port}`;
  return {
    nodeArgs: [...APP_NODE_ARGS],
    main: join(ROOT, 'dist/apps', name, 'main.js'),
    url,
    env: {
      [PORT_VARIABLE[name]]: String(port),
      [`DEPOT__${name.toUpperCase()}__HOST`]: '127.0.0.1',
      DEPOT__API__PUBLIC_URL: url,
    },
  };
}
