import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { transformFileSync } from '@swc/core';
import { ROOT } from '../../test/support/app-launch';

/** Where compiled bench programs and profiles go (git-ignored). */
export const OUT_DIR = join(ROOT, 'bench/.out');

/**
 * Compiles one self-contained TypeScript file of the bench (it may import packages, not
 * other repository files) to CommonJS under bench/.out, with the decorator settings the
 * apps are built with, and returns the path of the JavaScript file.
 */
export function compileForNode(file: string): string {
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
