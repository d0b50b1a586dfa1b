import { HttpException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { InvalidCursorError } from '@depot/database';
import {
  BucketExistsError,
  BucketNotEmptyError,
  BucketNotFoundError,
  FileNotReadyError,
  FileTooLargeError,
  IdempotencyKeyReusedError,
  InvalidFileInputError,
  QuotaExceededError,
  UnsupportedFileTypeError,
  UploadInterruptedError,
  UploadLinkRefusedError,
} from '@depot/files';
import {
  ExpiredLinkError,
  FileNotFoundError,
  InvalidLinkError,
  InvalidPathError,
  InvalidRangeError,
  StorageError,
} from '@depot/storage';
import { InvalidWebhookUrlError, WebhookEndpointLimitError } from '@depot/webhooks';
import { invalidFields, ProblemException, type ProblemInit, type ProblemKind } from './problem';

/**
 * Every error the api can meet, as the problem it answers with. This is the only place
 * that decides status codes for errors; handlers just throw.
 *
 * - a {@link ProblemException}: as thrown;
 * - a 4xx error of Fastify or one of its plugins, met in a handler (or cutting an upload off);
 * - domain errors (`@depot/files`, `@depot/database`, storage): by {@link DOMAIN_PROBLEMS};
 * - Nest's `HttpException`s, including Fastify's own 4xx errors (body too large, bad
 *   JSON, unsupported content type), which Nest hands over wrapped in one;
 * - invalid input that reached PostgreSQL anyway: 400, never 500;
 * - a dependency that does not answer (PostgreSQL, Redis, storage): 503 with `Retry-After`;
 * - anything else: 500, a bug, logged with its stack by the filter.
 */
export function toProblem(error: unknown): ProblemException {
  if (error instanceof ProblemException) return error;
  // An upload broken off by a multipart limit answers as that limit does.
  const clientError = fastifyClientError(error instanceof UploadInterruptedError ? error.cause : error);
  if (clientError) return clientError;
  const domain = domainProblem(error);
  if (domain) return domain;
  if (error instanceof HttpException) return httpProblem(error);
  if (error instanceof QueryFailedError && isBadInput(error)) {
    return new ProblemException(
      { status: 400, detail: 'A value in the request is not valid.' },
      { cause: error },
    );
  }
  if (isUnavailable(error)) {
    return new ProblemException(
      {
        status: 503,
        kind: 'unavailable',
        detail: 'A service Depot depends on is not answering; try again shortly.',
        headers: RETRY_SHORTLY,
      },
      { cause: error },
    );
  }
  return new ProblemException({ status: 500, detail: UNEXPECTED }, { cause: error });
}

const UNEXPECTED = 'An unexpected error occurred.';
const RETRY_SHORTLY = { 'retry-after': '5' };

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** How errors of one class answer. */
interface DomainProblem<E extends Error> {
  error: ErrorClass<E>;
  status: number;
  kind?: ProblemKind;
  /**
   * A fixed detail, for errors whose message is written for operators (storage keys, link
   * internals, a broken-off upload's cause). Without it the detail is the error's message,
   * which the domain writes for the client.
   */
  detail?: string;
  headers?: Record<string, string>;
  /** What the error itself decides: a status or type among several, headers, invalid fields. */
  refine?: (error: E) => Partial<ProblemInit>;
}

/** Type-erases one table row, checking `refine` against its own class. */
function row<E extends Error>(problem: DomainProblem<E>): DomainProblem<Error> {
  return problem as unknown as DomainProblem<Error>;
}

/** The domain's errors, first match wins (so a subclass comes before its base class). */
const DOMAIN_PROBLEMS: readonly DomainProblem<Error>[] = [
  row({ error: FileTooLargeError, status: 413, kind: 'fileTooLarge' }),
  row({ error: UnsupportedFileTypeError, status: 415, kind: 'unsupportedType' }),
  row({
    error: InvalidFileInputError,
    status: 400,
    kind: 'validation',
    refine: (error) => invalidFields([{ field: error.field, message: error.reason }]),
  }),
  row({ error: FileNotReadyError, status: 409, kind: 'fileNotReady' }),
  row({ error: IdempotencyKeyReusedError, status: 409, kind: 'idempotencyConflict' }),
  row({
    error: UploadInterruptedError,
    status: 400,
    detail: 'The upload ended before the file was complete, or its multipart body is malformed.',
  }),
  // A spent link is gone for good (410); a forged or expired one is refused like a download link (403).
  row({
    error: UploadLinkRefusedError,
    status: 403,
    kind: 'invalidLink',
    refine: (error) => (error.reason === 'used' ? { status: 410 } : {}),
  }),
  row({ error: BucketNotFoundError, status: 404 }),
  row({ error: BucketExistsError, status: 409, kind: 'bucketExists' }),
  row({ error: BucketNotEmptyError, status: 409, kind: 'bucketNotEmpty' }),
  // 409, not 413 or 403: the request is not too large in itself and the key may do it; it
  // conflicts with what the tenant holds now, and succeeds once files are deleted or the quota raised.
  row({
    error: QuotaExceededError,
    status: 409,
    refine: (error) => ({ kind: error.quota === 'maxBytes' ? 'quotaMaxBytes' : 'quotaMaxFiles' }),
  }),
  row({
    error: InvalidCursorError,
    status: 400,
    kind: 'validation',
    refine: () => invalidFields([{ field: 'cursor', message: 'not a cursor this api returned' }]),
  }),
  row({
    error: InvalidWebhookUrlError,
    status: 400,
    kind: 'validation',
    refine: (error) => invalidFields([{ field: 'url', message: error.message }]),
  }),
  row({ error: WebhookEndpointLimitError, status: 409, kind: 'limitReached' }),
  row({ error: InvalidLinkError, status: 403, kind: 'invalidLink', detail: 'The link is not valid.' }),
  row({
    error: ExpiredLinkError,
    status: 403,
    kind: 'invalidLink',
    detail: 'The link has expired; ask for a new one.',
  }),
  // The row said the bytes were there, and they went (deleted and purged meanwhile).
  row({ error: FileNotFoundError, status: 404, detail: 'No such file.' }),
  row({
    error: InvalidRangeError,
    status: 416,
    detail: 'The range starts past the end of the file.',
    refine: (error) =>
      error.size === undefined ? {} : { headers: { 'content-range': `bytes */${error.size}` } },
  }),
  // A key Depot built itself and refused: a bug, not an outage.
  row({ error: InvalidPathError, status: 500, detail: UNEXPECTED }),
  row({
    error: StorageError,
    status: 503,
    kind: 'unavailable',
    detail: 'File storage is not answering; try again shortly.',
    headers: RETRY_SHORTLY,
  }),
];

function domainProblem(error: unknown): ProblemException | undefined {
  const match = DOMAIN_PROBLEMS.find((problem) => error instanceof problem.error);
  if (!match || !(error instanceof Error)) return undefined;
  const { status, kind, detail, headers, refine } = match;
  return new ProblemException(
    { status, kind, detail: detail ?? sentence(error.message), headers, ...refine?.(error) },
    { cause: error },
  );
}

/** Fastify's error codes worth a clearer sentence than its own message. */
const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than this endpoint accepts.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The request body has a content type this endpoint does not accept.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request declares a JSON body but sends none.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_BAD_URL: 'The URL is not validly percent-encoded.',
  FST_ERR_MAX_PARAM_LENGTH: 'A path segment is longer than this api accepts.',
};

/**
 * A 4xx error Fastify or one of its plugins raised where Nest does not wrap it (inside a
 * handler, e.g. @fastify/multipart's limits): its status and message are meant for the client.
 */
function fastifyClientError(error: unknown): ProblemException | undefined {
  const { code, statusCode, message } = (error ?? {}) as {
    code?: unknown;
    statusCode?: unknown;
    message?: unknown;
  };
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  const detail = FASTIFY_DETAILS[code] ?? (typeof message === 'string' ? sentence(message) : 'Bad request.');
  return new ProblemException({ status: statusCode, detail }, { cause: error });
}

function httpProblem(error: HttpException): ProblemException {
  const status = error.getStatus();
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  let detail = typeof code === 'string' ? FASTIFY_DETAILS[code] : undefined;
  if (!detail && error.cause instanceof SyntaxError) detail = 'The request body is not valid JSON.';
  detail ??= status >= 500 ? 'An unexpected error occurred.' : messageOf(error);
  return new ProblemException({ status, detail }, { cause: error });
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' && message ? sentence(message) : error.message;
}

/** PostgreSQL errors that only bad input can cause (a value of the wrong form or size). */
const BAD_INPUT_SQLSTATES = new Set([
  '22001', // string_data_right_truncation
  '22003', // numeric_value_out_of_range
  '22007', // invalid_datetime_format
  '22008', // datetime_field_overflow
  '22021', // character_not_in_repertoire (e.g. NUL in text)
  '22P02', // invalid_text_representation (e.g. not a uuid)
]);

function isBadInput(error: QueryFailedError): boolean {
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && BAD_INPUT_SQLSTATES.has(code);
}

const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
/** SQLSTATE classes 08 (connection), 57P0x (shutdown, cannot connect now), 53300 (too many connections). */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-4]|53300)$/;
// The last: a queue's Redis connection refuses commands while disconnected (producers fail fast).
const UNAVAILABLE_MESSAGES =
  /Connection terminated|Connection is closed|timeout exceeded when trying to connect|Reached the max retries per request limit|Stream isn't writeable and enableOfflineQueue/i;

/** Whether the error, or what caused it, says a dependency is not answering. */
export function isUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_ERRNOS.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
    return true;
  if (UNAVAILABLE_MESSAGES.test(error.message)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isUnavailable(inner, depth + 1)))
    return true;
  const driverError = (error as { driverError?: unknown }).driverError;
  return isUnavailable(error.cause ?? driverError, depth + 1);
}

function sentence(text: string): string {
  const capitalised = capitalise(text);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
