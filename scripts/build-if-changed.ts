/**
 * `npm run build:if-changed`: `npm run build` unless dist/ is already built from the
 * sources as they are (launcher/build-state.ts), as `npm start` does; the benchmarks run it
 * first. Exits 1 if the build failed.
 */
import { resolve } from 'node:path';
import { buildIfChanged } from './launcher/build-state';

void buildIfChanged(resolve(__dirname, '..'), (line) => console.error(line)).then((built) => {
  if (!built) process.exitCode = 1;
});
