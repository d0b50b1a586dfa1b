import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { summarizeProfile } from '../../../bench/support/cpu-profile';

/**
 * The profile summary names a bundled app's frames by the file they were bundled from, so
 * that a profile of `dist/apps/<app>/main.js` shows packages rather than one bundle.
 */
describe('summarizeProfile', () => {
  let root: string;
  let bundleUrl: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'cpu-profile-'));
    const folder = join(root, 'dist/apps/api');
    mkdirSync(folder, { recursive: true });
    const bundle = join(folder, 'main.js');
    writeFileSync(bundle, 'function query(){}\nfunction upload(){}\n');
    // Line 1 column 0 comes from pg's client.js line 1, line 2 column 0 from a lib's line 3.
    writeFileSync(
      `${bundle}.map`,
      JSON.stringify({
        version: 3,
        sources: [
          'webpack://depot/./node_modules/pg/lib/client.js',
          'webpack://depot/./libs/files/src/intake.ts',
        ],
        names: [],
        mappings: 'AAAA;ACEA',
      }),
    );
    bundleUrl = pathToFileURL(bundle).href;
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const profile = (frames: Array<{ functionName: string; url: string; lineNumber: number }>) => ({
    nodes: frames.map((frame, index) => ({ id: index + 1, callFrame: { ...frame, columnNumber: 0 } })),
    samples: frames.map((_frame, index) => index + 1),
    timeDeltas: frames.map(() => 1000),
  });

  it('counts a bundled frame for the package and file it was bundled from', () => {
    const summary = summarizeProfile(
      profile([
        { functionName: 'query', url: bundleUrl, lineNumber: 0 },
        { functionName: 'upload', url: bundleUrl, lineNumber: 1 },
        { functionName: 'emit', url: 'node:events', lineNumber: 470 },
      ]),
    );
    expect(summary.busyMs).toBe(3);
    expect(summary.packages.map((p) => p.name).sort()).toEqual(['depot', 'node (internals)', 'pg']);
    expect(summary.frames.map((f) => f.frame).sort()).toEqual([
      'emit node:events:471',
      'query pg/lib/client.js:1',
      'upload libs/files/src/intake.ts:3',
    ]);
  });

  it('leaves a frame of a script without a source map as it is', () => {
    const summary = summarizeProfile(
      profile([{ functionName: 'run', url: 'file:///srv/scripts/job.js', lineNumber: 9 }]),
    );
    expect(summary.packages.map((p) => p.name)).toEqual(['depot']);
    expect(summary.frames.map((f) => f.frame)).toEqual(['run scripts/job.js:10']);
  });
});
