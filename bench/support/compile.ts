import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { transformFileSync } from '@swc/core';
import { ROOT } from '../../test/support/app-launch';

/** Where compiled bench programs and profiles go (git-ignored). */
export const OUT_DIR = join(ROOT, 'bench/.out');

/**
 * Compiles one TypeScript file of the bench, and the `companions` it imports relatively
 * (they may import packages, not other repository files), to CommonJS side by side under
 * bench/.out, with the decorator settings the apps are built with, and returns the path of
 * the first one's JavaScript file.
 */
export function compileForNode(file: string, ...companions: string[]): string {
  const [out] = [file, ...companions].map(compileOne);
  return out!;
}

function compileOne(file: string): string {
  const { code } = transformFileSync(join(ROOT, file), {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  mkdirSync(OUT_DIR, { recursive: true });
  const out = join(OUT_DIR, basename(file).replace(/\.ts$/, '.js'));
  writeFileSync(out, code);
  return out;
}
