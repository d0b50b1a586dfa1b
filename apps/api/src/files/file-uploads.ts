import type { Multipart } from '@fastify/multipart';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { FilesConfig } from '@depot/config';
import {
  FileIntakeService,
  FileTooLargeError,
  type IntakeFields,
  type IntakeRequest,
  type FileMetadata,
  type IntakeResult,
  MAX_METADATA_BYTES,
  checkObjectName,
  parseExpiresAt,
  parseMetadata,
  type ReceiveFile,
} from '@depot/files';
import { ProblemException, validationProblem } from '../http/problem';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/**
 * What a multipart body may add to its file within the limits below (boundaries, part
 * headers, a few short fields): a declared Content-Length beyond the file limit plus this
 * is refused before a byte is read.
 */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;
const UPLOAD_FIELD = 'file';
const EXPIRES_AT_FIELD = 'expiresAt';
const METADATA_FIELD = 'metadata';
const NAME_FIELD = 'name';

/** The multipart limits that keep a hostile body cheap: one file, a few short fields. */
export function multipartLimits(config: FilesConfig) {
  return {
    // One byte over the limit reaches the size check, which answers 413 (busboy would truncate silently).
    fileSize: config.maxSizeBytes + 1,
    files: 1,
    fields: 8,
    parts: 10,
    fieldNameSize: 100,
    // `metadata` may be 8 KiB of JSON; a longer field is cut and refused as invalid JSON.
    fieldSize: MAX_METADATA_BYTES + 1,
    headerPairs: 32,
  };
}

/**
 * Reads `POST /v1/files` (and an upload link's POST): a multipart body with one file in
 * the field `file` and an optional `expiresAt`, in any order. It only parses the body;
 * {@link FileIntakeService} streams the file to storage, records it, and removes what it stored
 * when the request is refused.
 */
@Injectable()
export class FileUploads {
  constructor(
    private readonly intake: FileIntakeService,
    private readonly config: FilesConfig,
  ) {}

  /** The Idempotency-Key header, checked, or undefined when absent. */
  idempotencyKey(request: FastifyRequest): string | undefined {
    const value = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
      throw validationProblem([
        {
          field: 'header:Idempotency-Key',
          message: 'must be 1 to 255 visible ASCII characters (a UUID is a good choice)',
        },
      ]);
    }
    return value;
  }

  upload(
    request: FastifyRequest,
    tenantId: string,
    options: Pick<IntakeRequest, 'idempotencyKey' | 'limits' | 'overrides' | 'bucket' | 'requestId'> = {},
  ): Promise<IntakeResult> {
    if (!request.isMultipart()) {
      throw new ProblemException({
        status: 415,
        kind: 'unsupportedType',
        detail: 'Send the file as multipart/form-data, in a field named "file".',
      });
    }
    const maxSizeBytes = Math.min(options.limits?.maxSizeBytes ?? Infinity, this.config.maxSizeBytes);
    const declaredLength = Number(request.headers['content-length']);
    if (declaredLength > maxSizeBytes + MULTIPART_OVERHEAD_BYTES) {
      // Not a header's form but the files domain's size rule, met before a byte is read: its own error.
      throw new FileTooLargeError(maxSizeBytes);
    }
    return this.intake.upload({
      tenantId,
      bucket: options.bucket,
      idempotencyKey: options.idempotencyKey,
      limits: options.limits,
      overrides: options.overrides,
      bodyBytes: Number.isSafeInteger(declaredLength) ? declaredLength : undefined,
      requestId: options.requestId,
      read: (receive) => readMultipart(request, this.config.maxSizeBytes, receive),
    });
  }
}

/** Hands the `file` part to `receive` as it arrives and collects `expiresAt`; anything else is refused. */
async function readMultipart(
  request: FastifyRequest,
  maxSizeBytes: number,
  receive: ReceiveFile,
): Promise<IntakeFields> {
  let sawFile = false;
  const seen = new Set<string>();
  let expiresAt: Date | undefined;
  let metadata: FileMetadata | undefined;
  let name: string | undefined;
  for await (const part of readParts(request, maxSizeBytes)) {
    // Each optional field once; empty is "not given", as a browser form sends a field left blank.
    const field = part.type === 'field' && !seen.has(part.fieldname) ? String(part.value) : undefined;
    if (field !== undefined) seen.add(part.fieldname);
    if (part.type === 'file' && part.fieldname === UPLOAD_FIELD && !sawFile) {
      sawFile = true;
      await receive({ fileName: part.filename, contentType: part.mimetype, body: part.file });
    } else if (part.fieldname === EXPIRES_AT_FIELD && field !== undefined) {
      // Checked as it arrives: sent before the file, a bad value stops the upload before a byte is stored.
      expiresAt = field === '' ? undefined : parseExpiresAt(field, EXPIRES_AT_FIELD);
    } else if (part.fieldname === METADATA_FIELD && field !== undefined) {
      if (part.type === 'field' && part.valueTruncated) {
        throw invalidField(METADATA_FIELD, `must be at most ${MAX_METADATA_BYTES} bytes as JSON`);
      }
      metadata = field === '' ? undefined : parseMetadata(field, METADATA_FIELD);
    } else if (part.fieldname === NAME_FIELD && field !== undefined) {
      name = field === '' ? undefined : checkObjectName(field, NAME_FIELD);
    } else {
      if (part.type === 'file') part.file.resume();
      throw invalidField(
        part.fieldname,
        part.type === 'file' && part.fieldname === UPLOAD_FIELD
          ? 'send one file only'
          : `is not expected; send "${UPLOAD_FIELD}" and optionally "${EXPIRES_AT_FIELD}", "${NAME_FIELD}" and "${METADATA_FIELD}", once each`,
      );
    }
  }
  if (!sawFile) {
    throw invalidField(UPLOAD_FIELD, `no file was sent; send it in the multipart field "${UPLOAD_FIELD}"`);
  }
  return { expiresAt, metadata, name };
}

/** The request's parts; a malformed body is a 400 (or the 413 of a limit), never a 500. */
async function* readParts(request: FastifyRequest, maxSizeBytes: number): AsyncGenerator<Multipart> {
  let parts: AsyncIterator<Multipart>;
  try {
    parts = request.parts()[Symbol.asyncIterator]();
  } catch (error) {
    throw malformed(error, maxSizeBytes);
  }
  for (;;) {
    let next: IteratorResult<Multipart>;
    try {
      next = await parts.next();
    } catch (error) {
      throw malformed(error, maxSizeBytes);
    }
    if (next.done) return;
    yield next.value;
  }
}

function malformed(error: unknown, maxSizeBytes: number): Error {
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new FileTooLargeError(maxSizeBytes);
  if (code === 'FST_FILES_LIMIT') return invalidField(UPLOAD_FIELD, 'send one file only');
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return invalidField('(body)', 'too many fields; send "file" and optionally "expiresAt"');
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ProblemException(
    { status: 400, detail: `The multipart body is malformed or incomplete: ${reason}.` },
    { cause: error },
  );
}

/** The form of the multipart body is the api's to check; the values of its fields are the intake's. */
function invalidField(field: string, message: string): ProblemException {
  return validationProblem([{ field, message }]);
}
