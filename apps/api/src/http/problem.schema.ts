import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_TYPES } from './problem';
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
  413: 'The upload is larger than `files.maxSizeBytes`.',
  415: 'The content type is not accepted.',
  416: 'The range starts past the end of the file.',
  503: 'A dependency is not answering; retry after `Retry-After` seconds.',
};

/** Documents problem responses: `@ApiProblems(400, 404)` or `@ApiProblems([409, 'The file is not ready.'])`. */
export function ApiProblems(
  ...responses: Array<number | [number, string]>
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...responses.map((response) => {
      const [status, description] = Array.isArray(response)
        ? response
        : [response, DEFAULT_DESCRIPTIONS[response] ?? 'Error.'];
      return ApiResponse({
        status,
        description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      });
    }),
  );
}
