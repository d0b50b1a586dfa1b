import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ENV_VARIABLES, APP_NODE_ARGS } from '../../../scripts/launcher/app-node-args';

/**
 * The apps' V8 options live in a few places that must say the same thing: the image's
 * NODE_OPTIONS (which Compose and the Kubernetes manifests inherit), the `start:*` scripts,
 * and APP_NODE_ARGS (npm start, and the tests and benches that start the built apps).
 */
const ROOT = join(__dirname, '../../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const APPS = ['api', 'worker', 'scheduler'] as const;

/** The runtime stage's `ENV` instruction, continuation lines joined. */
function runtimeEnv(dockerfile: string): Record<string, string> {
  const stage = dockerfile.slice(dockerfile.indexOf('AS runtime'));
  const instruction = /^ENV ((?:.*\\\n)*.*)$/m.exec(stage.replace(/^#.*\n/gm, ''));
  if (!instruction) throw new Error('the runtime stage sets no ENV');
  return Object.fromEntries(
    instruction[1]!
      .replace(/\\\n/g, ' ')
      .trim()
      .split(/\s+/)
      .map((pair) => [
        pair.slice(0, pair.indexOf('=')),
        pair.slice(pair.indexOf('=') + 1).replace(/^"|"$/g, ''),
      ]),
  );
}

describe("the apps' node options", () => {
  it('are what the image sets in NODE_OPTIONS', () => {
    expect(runtimeEnv(read('Dockerfile')).NODE_OPTIONS).toBe(APP_NODE_ARGS.join(' '));
  });

  it.each(APPS)('are on the start:%s script', (app) => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const variables = Object.entries(APP_ENV_VARIABLES).map(([name, value]) => `${name}=${value} `);
    expect(scripts[`start:${app}`]).toBe(
      `${variables.join('')}node ${APP_NODE_ARGS.join(' ')} dist/apps/${app}/main.js`,
    );
  });

  it('are not replaced by a NODE_OPTIONS of the Compose file or the Kubernetes manifests', () => {
    const manifests = readdirSync(join(ROOT, 'deploy/kubernetes'), { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.ya?ml$/.test(file))
      .map((file) => read(join('deploy/kubernetes', file)));
    // Comments may name it; settings may not.
    const settings = (text: string): string => text.replace(/#.*$/gm, '');
    for (const text of [read('docker-compose.yml'), ...manifests])
      for (const name of ['NODE_OPTIONS', ...Object.keys(APP_ENV_VARIABLES)])
        expect(settings(text)).not.toContain(name);
  });

  it('cap the young generation, given on the command line or in NODE_OPTIONS', () => {
    // Churns short-lived objects until V8 grows the young generation as far as it may.
    const churn =
      'let keep = []; for (let i = 0; i < 3e6; i++) { keep.push({ i }); if (keep.length > 2e5) keep = []; }' +
      'console.log(require("v8").getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size)';
    const newSpace = (args: readonly string[], nodeOptions = ''): number =>
      Number(
        execFileSync(process.execPath, [...args, '-e', churn], {
          env: { ...process.env, NODE_OPTIONS: nodeOptions },
          encoding: 'utf8',
        }),
      );
    const MiB = 1024 * 1024;
    expect(newSpace([])).toBeGreaterThan(8 * MiB);
    // Two semi-spaces of at most 4 MiB.
    expect(newSpace(APP_NODE_ARGS)).toBeLessThanOrEqual(8 * MiB);
    expect(newSpace([], APP_NODE_ARGS.join(' '))).toBeLessThanOrEqual(8 * MiB);
  });
});

describe("the apps' environment besides their config", () => {
  it('is what the image sets', () => {
    const env = runtimeEnv(read('Dockerfile'));
    for (const [name, value] of Object.entries(APP_ENV_VARIABLES)) expect(env[name]).toBe(value);
  });
});
