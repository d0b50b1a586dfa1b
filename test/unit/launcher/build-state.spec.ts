import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  BUILD_OUTPUTS,
  buildIfChanged,
  buildIsCurrent,
  inputsFingerprint,
  recordBuild,
} from '../../../scripts/launcher/build-state';

/** `npm start` skips `npm run build` only when dist/ is from its own build of the same inputs. */
describe('npm start: whether the build is current', () => {
  let root: string;
  const write = (path: string, content: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  /** A build: writes every output, then records it as `npm start` does. */
  const build = (): void => {
    const inputs = inputsFingerprint(root);
    for (const output of BUILD_OUTPUTS) write(output, `built at ${process.hrtime.bigint()}`);
    recordBuild(root, inputs);
  };
  const current = (): boolean => buildIsCurrent(root, inputsFingerprint(root));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'depot-build-state-'));
    write('apps/api/src/main.ts', 'bootstrap();\n');
    write('libs/files/src/index.ts', 'export {};\n');
    write('packages/client/src/index.ts', 'export {};\n');
    write('package.json', '{}\n');
    write('package-lock.json', '{}\n');
    write('node_modules/.package-lock.json', '{"packages":{}}\n');
    write('rspack.config.js', 'module.exports = {};\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds when nothing was built, and not again for the same sources', () => {
    expect(current()).toBe(false);
    build();
    expect(current()).toBe(true);
  });

  it('builds again when a source changes, even with its old modification time', () => {
    build();
    write('libs/files/src/index.ts', 'export const changed = 1;\n');
    utimesSync(join(root, 'libs/files/src/index.ts'), new Date(0), new Date(0));
    expect(current()).toBe(false);
    build();
    expect(current()).toBe(true);
  });

  it.each([
    ['a new source file', () => write('apps/api/src/extra.ts', 'export {};\n')],
    ['a reinstall', () => write('node_modules/.package-lock.json', '{"packages":{"x":{}}}\n')],
    ['the build configuration', () => write('rspack.config.js', 'module.exports = { a: 1 };\n')],
    ['a workspace source', () => write('packages/client/src/index.ts', 'export const a = 1;\n')],
    ['a removed output', () => rmSync(join(root, 'dist/apps/worker/main.js'))],
    ['another build of the outputs', () => write('dist/apps/api/main.js', 'built elsewhere')],
  ])('builds again after %s', (_, change) => {
    build();
    change();
    expect(current()).toBe(false);
  });

  it('does not count the outputs, dependencies or files the build does not read as sources', () => {
    build();
    write('packages/client/dist/extra.js', 'export {};\n');
    write('node_modules/some-package/index.js', 'module.exports = 1;\n');
    write('test/unit/new.spec.ts', 'it.todo("x");\n');
    write('README.md', '# changed\n');
    expect(current()).toBe(true);
  });

  describe('buildIfChanged (npm start, npm run bench)', () => {
    /** A checkout whose `npm run build` writes every output and counts its runs, or fails. */
    const checkout = (build: 'writes' | 'fails'): void => {
      const script =
        build === 'fails'
          ? 'process.exit(2)'
          : `const fs = require('fs'), path = require('path');
             for (const o of ${JSON.stringify(BUILD_OUTPUTS)}) {
               fs.mkdirSync(path.dirname(o), { recursive: true });
               fs.writeFileSync(o, String(process.hrtime.bigint()));
             }
             fs.appendFileSync('builds.log', 'built\\n');`;
      write('build.js', script);
      write('package.json', JSON.stringify({ scripts: { build: 'node build.js' } }));
    };
    const builds = (): number =>
      existsSync(join(root, 'builds.log'))
        ? readFileSync(join(root, 'builds.log'), 'utf8').split('\n').length - 1
        : 0;

    it('builds once, then not again for the same sources, and again after a change', async () => {
      checkout('writes');
      const lines: string[] = [];
      await expect(buildIfChanged(root, (line) => lines.push(line))).resolves.toBe(true);
      await expect(buildIfChanged(root, (line) => lines.push(line))).resolves.toBe(true);
      expect(builds()).toBe(1);
      expect(lines).toEqual([
        'build: `npm run build` (no build yet, or the sources changed since)',
        'build: dist/ is up to date with the sources, not built again',
      ]);
      write('libs/files/src/index.ts', 'export const changed = 1;\n');
      await expect(buildIfChanged(root, () => undefined)).resolves.toBe(true);
      expect(builds()).toBe(2);
    });

    it('says false when the build fails, and records nothing', async () => {
      checkout('fails');
      await expect(buildIfChanged(root, () => undefined)).resolves.toBe(false);
      expect(current()).toBe(false);
    });
  });
});
