import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ENV_VARIABLES, APP_NODE_ARGS, appEnvironment } from '../../../scripts/launcher/app-node-args';

/**
 * The apps' V8 options live in a few places that must say the same thing: the image's
 * NODE_OPTIONS (which Compose and the Kubernetes manifests inherit), the `start:*` scripts,
 * and APP_NODE_ARGS (npm start, and the tests and benches that start the built apps).
 */
const ROOT = join(__dirname, '../../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const APPS = ['api', 'worker', 'scheduler'] as const;
const startScript = (app: string): string =>
  (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts[`start:${app}`]!;

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
    const variables = Object.entries(APP_ENV_VARIABLES).map(
      ([name, value]) => `${name}=\${${name}:-${value}} `,
    );
    expect(startScript(app)).toBe(
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

  // As over the image's ENV, a value the user set wins: in npm start and in the start:* scripts.
  it('gives way to a value the user set, in npm start', () => {
    const [name, value] = Object.entries(APP_ENV_VARIABLES)[0]!;
    expect(appEnvironment({ PATH: '/bin' })).toEqual({ ...APP_ENV_VARIABLES, PATH: '/bin' });
    expect(appEnvironment({ [name]: `${value}0` })[name]).toBe(`${value}0`);
  });

  it.each(APPS)('gives way to a value the user set, in the start:%s script', (app) => {
    // The script as npm runs it (sh -c), with the app swapped for a command that prints its environment.
    const environment = (env: NodeJS.ProcessEnv): string =>
      execFileSync('sh', ['-c', startScript(app).replace(/node .*$/, 'env')], {
        env: { PATH: process.env.PATH, ...env },
        encoding: 'utf8',
      });
    for (const [name, value] of Object.entries(APP_ENV_VARIABLES)) {
      expect(environment({})).toMatch(new RegExp(`^${name}=${value}$`, 'm'));
      expect(environment({ [name]: `${value}0` })).toMatch(new RegExp(`^${name}=${value}0$`, 'm'));
    }
  });
});
