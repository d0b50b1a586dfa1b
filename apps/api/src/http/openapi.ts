import { applyDecorators, type INestApplication } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
  DocumentBuilder,
  type OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { HealthController } from '@depot/observability';

/** The api's OpenAPI 3.1 document, built from the controllers' decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Depot API')
    .setDescription(
      'Multi-tenant file intake: upload files, let the worker process them, download them or share signed ' +
        'links, and hear about it by webhook. Errors are RFC 9457 application/problem+json.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative: the api that serves this document (and "Try it out" calls the same origin).
    .addServer('/', 'This api')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A tenant API key, or the admin key.' })
    .build();
  describeHealthRoutes();
  const document = SwaggerModule.createDocument(app, config);
  // The Prometheus scrape endpoint is for operators, not part of the API contract.
  delete document.paths[METRICS_PATH];
  return markPublicOperations(document);
}

const METRICS_PATH = '/metrics';

let healthRoutesDescribed = false;

/**
 * `@depot/observability`'s health routes, served by every app, are described here rather
 * than by decorators on the controller: the worker and the scheduler would otherwise load
 * `@nestjs/swagger` at boot for nothing.
 */
function describeHealthRoutes(): void {
  if (healthRoutesDescribed) return;
  healthRoutesDescribed = true;
  ApiTags('health')(HealthController);
  describeOperation('live', { summary: 'The process is up and serving HTTP.' });
  describeOperation('ready', {
    summary: 'Every dependency answers: 200, or 503 with up or down for each.',
    description:
      'Anyone sees up or down per dependency. Latencies and the errors of failed checks (which name hosts ' +
      'and paths) are shown only with the admin key as Bearer; the app logs them when a check goes down.',
  });
}

function describeOperation(method: 'live' | 'ready', operation: Parameters<typeof ApiOperation>[0]): void {
  const descriptor = Object.getOwnPropertyDescriptor(HealthController.prototype, method);
  if (!descriptor) throw new Error(`HealthController has no method ${method}`);
  ApiOperation(operation)(HealthController.prototype, method, descriptor);
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Operations that declare no security need none (health, signed downloads): say so with
 * `security: []`, so that a reader, a linter or a generated client does not have to guess.
 */
function markPublicOperations(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method];
      if (operation && operation.security === undefined) operation.security = [];
    }
  }
  return document;
}

/**
 * Serves Swagger UI at `/docs` and the document at `/docs/openapi.json`. The document is
 * built on the first request for it, not at boot (it takes a scan of every controller).
 */
export function setupOpenApi(app: INestApplication): void {
  // SwaggerModule calls a factory once, on the first request, and keeps what it returns.
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    raw: ['json'],
  });
}

const BINARY = { '*/*': { schema: { type: 'string', format: 'binary' } } } as const;

/**
 * The answers of a route that serves a file's bytes (content, signed links, public files):
 * any stored type; the whole file, a range (206), or nothing new (304).
 */
export function ApiFileContent(whole: string, range = 'The requested range.'): MethodDecorator {
  return applyDecorators(
    ApiProduces('*/*'),
    ApiOkResponse({ description: whole, content: BINARY }),
    ApiResponse({ status: 206, description: range, content: BINARY }),
    ApiResponse({ status: 304, description: 'The `If-None-Match` tag is current.' }),
  );
}
