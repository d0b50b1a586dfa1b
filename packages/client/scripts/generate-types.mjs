// Generates src/generated/openapi.ts (the API's types) from the repository's openapi.json.
//   node scripts/generate-types.mjs            write the file
//   node scripts/generate-types.mjs --check    exit 1 if the committed file is stale
//   --spec <path> reads another document (the staleness test uses this).
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import * as prettier from 'prettier';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(packageRoot, '../..');
const target = join(packageRoot, 'src/generated/openapi.ts');

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    spec: { type: 'string', default: join(repoRoot, 'openapi.json') },
  },
});

const spec = JSON.parse(await readFile(resolve(values.spec), 'utf8'));
const header = [
  '// Generated from openapi.json by packages/client/scripts/generate-types.mjs: do not edit.',
  '// Regenerate with `npm run generate -w @depot/client` (a test fails when this is stale).',
  '',
].join('\n');
const source = header + astToString(await openapiTS(spec, { alphabetize: true }));
const options = (await prettier.resolveConfig(target)) ?? {};
const generated = await prettier.format(source, { ...options, filepath: target });

if (values.check) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== generated) {
    console.error(
      `${relative(repoRoot, target)} is stale against ${relative(repoRoot, resolve(values.spec))}: ` +
        'run `npm run generate -w @depot/client` and commit the result.',
    );
    process.exit(1);
  }
  console.log(`${relative(repoRoot, target)} is up to date.`);
} else {
  await writeFile(target, generated);
  console.log(`wrote ${relative(repoRoot, target)}`);
}
