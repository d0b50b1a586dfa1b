/**
 * `npm run openapi:export`: writes the api's OpenAPI document to `openapi.json`, the same
 * document the api serves at `/docs/openapi.json`. `-- --check` writes nothing and exits 1
 * when the committed file is out of date.
 *
 * The document is built from the controllers' metadata alone: the app is created in
 * preview mode, which resolves the module graph without instantiating a provider, so no
 * database, Redis or storage is needed.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiModule } from '../apps/api/src/api.module';
import { buildOpenApiDocument } from '../apps/api/src/http/openapi';

const OUTPUT = join(__dirname, '..', 'openapi.json');

async function main(): Promise<number> {
  const app = await NestFactory.create(ApiModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const text = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();

  if (process.argv.includes('--check')) {
    const committed = readFileSync(OUTPUT, 'utf8');
    if (committed === text) {
      console.log('openapi.json is up to date');
      return 0;
    }
    console.error('openapi.json is out of date: run `npm run openapi:export` and commit it');
    return 1;
  }
  writeFileSync(OUTPUT, text);
  console.log(`wrote ${OUTPUT}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `openapi:export failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  },
);
