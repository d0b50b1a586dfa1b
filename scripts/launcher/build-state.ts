import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * What `npm run build` reads: the apps' and libraries' sources, the workspaces' (but for their
 * output), the build's configuration, and the installed dependencies (the apps' bundles hold
 * them; npm rewrites node_modules/.package-lock.json on every install).
 */
const INPUTS = [
  'apps',
  'libs',
  'packages',
  'scripts/build',
  'package.json',
  'package-lock.json',
  'node_modules/.package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
  'rspack.config.js',
];
/** Folders under INPUTS that are not read by the build. */
const SKIPPED = new Set(['node_modules', 'dist']);
/** What `npm run build` writes and `npm start` runs or ships (the client and the CLI). */
export const BUILD_OUTPUTS = [
  'dist/apps/api/main.js',
  'dist/apps/worker/main.js',
  'dist/apps/scheduler/main.js',
  'packages/client/dist/index.js',
  'packages/cli/dist/main.js',
];
/**
 * Written by {@link buildIfChanged} (`npm start`, `npm run bench`) after it built: the
 * fingerprint of the inputs, and of the outputs as the build left them.
 */
const STAMP = 'dist/.build-inputs';

function files(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { withFileTypes: true })
    .filter((entry) => !(entry.isDirectory() && SKIPPED.has(entry.name)))
    .flatMap((entry) => files(root, relative(root, join(full, entry.name))));
}

/**
 * A hash of every input's path and content: content rather than modification times, so a
 * checkout that keeps old times (an archive, `cp -p`) is not taken for built, and a file
 * saved unchanged costs no build.
 */
export function inputsFingerprint(root: string): string {
  const hash = createHash('sha256');
  for (const path of INPUTS.flatMap((input) => files(root, input)).sort()) {
    hash.update(`${path}\0`).update(
      createHash('sha256')
        .update(readFileSync(join(root, path)))
        .digest(),
    );
  }
  return hash.digest('hex');
}

/** The outputs' sizes and modification times: which build wrote them. */
function outputsFingerprint(root: string): string | undefined {
  if (!BUILD_OUTPUTS.every((output) => existsSync(join(root, output)))) return undefined;
  return BUILD_OUTPUTS.map((output) => {
    const { size, mtimeMs } = statSync(join(root, output));
    return `${output}:${size}:${mtimeMs}`;
  }).join(' ');
}

function stampOf(inputs: string, outputs: string): string {
  return `${inputs}\n${outputs}\n`;
}

/**
 * Whether the output can run as it is: {@link buildIfChanged} built it from inputs with this
 * fingerprint, and nothing wrote or removed an output since. Anything else (a changed, new or
 * removed input, a reinstall, another build, a missing output) builds again.
 */
export function buildIsCurrent(root: string, inputs: string): boolean {
  const outputs = outputsFingerprint(root);
  const stamp = join(root, STAMP);
  return (
    outputs !== undefined && existsSync(stamp) && readFileSync(stamp, 'utf8') === stampOf(inputs, outputs)
  );
}

/** After a successful build from inputs with this fingerprint, taken before it started. */
export function recordBuild(root: string, inputs: string): void {
  const outputs = outputsFingerprint(root);
  if (outputs === undefined) return;
  mkdirSync(dirname(join(root, STAMP)), { recursive: true });
  writeFileSync(join(root, STAMP), stampOf(inputs, outputs));
}

/**
 * `npm run build` in `root` unless its output is from these very sources (see
 * {@link buildIsCurrent}); false if the build failed. `report` gets one line saying which.
 */
export async function buildIfChanged(root: string, report: (line: string) => void): Promise<boolean> {
  const inputs = inputsFingerprint(root);
  if (buildIsCurrent(root, inputs)) {
    report('build: dist/ is up to date with the sources, not built again');
    return true;
  }
  report('build: `npm run build` (no build yet, or the sources changed since)');
  const child = spawn('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const code = await new Promise<number | null>((done) => child.once('exit', (exit) => done(exit)));
  if (code !== 0) return false;
  recordBuild(root, inputs);
  return true;
}
