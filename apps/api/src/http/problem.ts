import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';

/** One invalid input field, in a validation problem's `errors`. */
export interface FieldError {
  /** The field's name; nested fields are dotted (`items.0.name`), headers are `header:<name>`. */
  field: string;
  message: string;
}

/** An RFC 9457 problem details object: every error body of the api. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path the problem occurred on. */
  instance?: string;
  /** For validation problems: every invalid field. */
  errors?: FieldError[];
  /** The request id (also in the `x-request-id` header), to quote when reporting. */
  requestId?: string;
}

/**
 * The problem types a client may branch on, each with its fixed title. Anything else is
 * `about:blank`, whose title is the status code's text (RFC 9457 §4.2.1).
 */
export const PROBLEM_TYPES = {
  validation: { type: 'urn:depot:problem:validation', title: 'Invalid request' },
  insufficientScope: { type: 'urn:depot:problem:insufficient-scope', title: 'Insufficient scope' },
  fileTooLarge: { type: 'urn:depot:problem:file-too-large', title: 'File too large' },
  unsupportedType: { type: 'urn:depot:problem:unsupported-type', title: 'Unsupported media type' },
  fileNotReady: { type: 'urn:depot:problem:file-not-ready', title: 'File not ready' },
  idempotencyConflict: {
    type: 'urn:depot:problem:idempotency-conflict',
    title: 'Idempotency key already used',
  },
  invalidLink: { type: 'urn:depot:problem:invalid-link', title: 'Invalid or expired link' },
  unavailable: { type: 'urn:depot:problem:unavailable', title: 'Dependency unavailable' },
  limitReached: { type: 'urn:depot:problem:limit-reached', title: 'Limit reached' },
  quotaMaxBytes: { type: 'urn:depot:problem:quota-max-bytes', title: 'Storage quota exceeded' },
  quotaMaxFiles: { type: 'urn:depot:problem:quota-max-files', title: 'File count quota exceeded' },
  bucketExists: { type: 'urn:depot:problem:bucket-exists', title: 'Bucket already exists' },
  bucketNotEmpty: { type: 'urn:depot:problem:bucket-not-empty', title: 'Bucket not empty' },
} as const satisfies Record<string, { type: string; title: string }>;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

export interface ProblemInit {
  status: number;
  detail: string;
  /** One of {@link PROBLEM_TYPES}; `about:blank` when omitted. */
  kind?: ProblemKind;
  errors?: FieldError[];
  /** Response headers that belong with the problem (`WWW-Authenticate`, `Retry-After`, `Content-Range`). */
  headers?: Record<string, string>;
}

/**
 * Throw this from anywhere in the api (guards, pipes, controllers) to answer with a
 * problem. The one exception filter renders it; nothing else formats errors.
 */
export class ProblemException extends HttpException {
  readonly problem: Omit<ProblemDetails, 'instance' | 'requestId'>;
  readonly headers: Record<string, string>;

  constructor(init: ProblemInit, options?: { cause?: unknown }) {
    super(init.detail, init.status, options);
    const { type, title } = init.kind
      ? PROBLEM_TYPES[init.kind]
      : { type: 'about:blank', title: STATUS_CODES[init.status] ?? 'Error' };
    this.problem = {
      type,
      title,
      status: init.status,
      detail: init.detail,
      ...(init.errors ? { errors: init.errors } : {}),
    };
    this.headers = init.headers ?? {};
  }
}

/** 404 for a resource that does not exist, or that belongs to someone else: the two are indistinguishable. */
export function notFound(what: string): ProblemException {
  return new ProblemException({ status: 404, detail: `No such ${what}.` });
}

/** 400 listing each invalid field. */
export function validationProblem(errors: FieldError[]): ProblemException {
  return new ProblemException({ status: 400, kind: 'validation', ...invalidFields(errors) });
}

/** A validation problem's detail (`field: message` for one field) and its `errors`. */
export function invalidFields(errors: FieldError[]): Pick<ProblemInit, 'detail' | 'errors'> {
  const detail =
    errors.length === 1
      ? `${errors[0]!.field}: ${errors[0]!.message}`
      : `${errors.length} fields are invalid.`;
  return { detail, errors };
}
