import { STATUS_CODES } from 'node:http';
import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_TYPES, type ProblemDetails, type ProblemKind } from './problem';
import { PROBLEM_CONTENT_TYPE } from './problem.filter';

export class FieldErrorDto {
  @ApiProperty({ example: 'name' })
  field!: string;

  @ApiProperty({ example: 'name must be shorter than or equal to 200 characters' })
  message!: string;
}

/** RFC 9457 problem details, the body of every error. */
export class ProblemDto {
  @ApiProperty({
    description: `\`about:blank\` (see \`title\`), or one of: ${Object.values(PROBLEM_TYPES)
      .map(({ type }) => `\`${type}\``)
      .join(', ')}.`,
    example: 'about:blank',
  })
  type!: string;

  @ApiProperty({ example: 'Not Found' })
  title!: string;

  @ApiProperty({ example: 404 })
  status!: number;

  @ApiProperty({ example: 'No such file.' })
  detail!: string;

  @ApiPropertyOptional({ example: '/v1/files/0b7e2c1e-6f1a-4c51-9a3e-2f4c1d2b3a4f' })
  instance?: string;

  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'Every invalid field, for validation problems.',
  })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ description: 'The request id, as in the `x-request-id` response header.' })
  requestId?: string;
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: `errors` lists each invalid field.',
  401: 'No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`).',
  403: 'The key lacks a scope this operation needs, or is not the admin key.',
  404: 'No such resource (or it belongs to another tenant).',
  409: 'The resource is not in a state that allows this.',
  429: 'Too many requests in this window; retry after `Retry-After` seconds.',
  413: 'The upload is larger than `files.maxSizeBytes`.',
  415: 'The content type is not accepted.',
  416: 'The range starts past the end of the file.',
  503: 'A dependency is not answering; retry after `Retry-After` seconds.',
};

/** The problem type each status documents by default; a response may name another (see {@link ApiProblems}). */
const DEFAULT_KINDS: Partial<Record<number, ProblemKind>> = {
  400: 'validation',
  413: 'fileTooLarge',
  415: 'unsupportedType',
  503: 'unavailable',
};

const EXAMPLE_DETAILS: Record<number, string> = {
  400: 'expiresAt: must be in the future',
  401: 'The API key is unknown or revoked.',
  403: 'This operation needs the admin key.',
  404: 'No such file.',
  409: 'The resource is not in a state that allows this.',
  413: 'The file is larger than 104857600 bytes.',
  415: 'Files of type application/x-msdownload are not accepted.',
  416: 'The range starts past the end of the file.',
  429: 'Rate limit of 600 requests per 60 s exceeded; retry after 1 minute.',
  503: 'A service Depot depends on is not answering; try again shortly.',
};

const KIND_DETAILS: Partial<Record<ProblemKind, string>> = {
  insufficientScope: 'This operation needs the scope files:write.',
  fileNotReady: 'The file is processing; its content is available once it is ready.',
  idempotencyConflict: 'This Idempotency-Key was used for a file that has since been deleted.',
  invalidLink: 'The link has expired; ask for a new one.',
  limitReached: 'A tenant may register at most 10 webhook endpoints; delete one first.',
  quotaMaxBytes: "The tenant's storage quota of 1073741824 bytes would be exceeded.",
  quotaMaxFiles: "The tenant's quota of 10000 files would be exceeded.",
  bucketExists: 'A bucket named "avatars" already exists.',
  bucketNotEmpty: 'The bucket "avatars" holds files; delete them first or pass force=true.',
};

/** A problem body as the api sends it for `status` (and `kind`): what each documented response shows. */
export function problemExample(status: number, kind?: ProblemKind): Omit<ProblemDetails, 'requestId'> {
  const { type, title } = kind
    ? PROBLEM_TYPES[kind]
    : { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error' };
  return {
    type,
    title,
    status,
    detail: (kind && KIND_DETAILS[kind]) ?? EXAMPLE_DETAILS[status] ?? `${title}.`,
    instance: '/v1/files',
    ...(kind === 'validation' ? { errors: [{ field: 'expiresAt', message: 'must be in the future' }] } : {}),
  };
}

/**
 * Documents problem responses, each with an example of its own status and type:
 * `@ApiProblems(400, 404)`, `@ApiProblems([409, 'The file is not ready.', 'fileNotReady'])`.
 */
export function ApiProblems(
  ...responses: Array<number | [number, string] | [number, string, ProblemKind]>
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...responses.map((response) => {
      const [status, description, kind] = Array.isArray(response)
        ? response
        : [response, DEFAULT_DESCRIPTIONS[response] ?? 'Error.'];
      return ApiResponse({
        status,
        description,
        content: {
          [PROBLEM_CONTENT_TYPE]: {
            schema: { $ref: getSchemaPath(ProblemDto) },
            example: problemExample(status, kind ?? DEFAULT_KINDS[status]),
          },
        },
      });
    }),
  );
}
