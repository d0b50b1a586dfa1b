import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** The packages (client and CLI) are npm workspaces that every install path must know. */
describe('workspaces', () => {
  const { workspaces, scripts } = JSON.parse(read('package.json')) as {
    workspaces: string[];
    scripts: Record<string, string>;
  };

  it('each has a manifest, and the build builds each', () => {
    expect(workspaces).toEqual(['packages/client', 'packages/cli']);
    for (const workspace of workspaces) expect(existsSync(join(ROOT, workspace, 'package.json'))).toBe(true);
    expect(scripts.build).toMatch(/^npm run build:packages && /);
    expect(scripts['build:packages']).toBe(`tsc -b ${workspaces.join(' ')}`);
  });

  it("are in the Dockerfile's deps stage before npm ci (the lockfile names them)", () => {
    const dockerfile = read('Dockerfile');
    const deps = dockerfile.slice(dockerfile.indexOf('AS deps'), dockerfile.indexOf('RUN npm ci'));
    for (const workspace of workspaces) {
      expect(deps).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    }
  });
});
