import type { Multipart } from '@fastify/multipart';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { FilesConfig } from '@depot/config';
import {
  FileTooLargeError,
  FilesService,
  InvalidFileInputError,
  type ReceivedUpload,
  type RegisteredUpload,
} from '@depot/files';
import { ProblemException } from '../http/problem';

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

/** The multipart limits that keep a hostile body cheap: one file, a few short fields. */
export function multipartLimits(config: FilesConfig) {
  return {
    // One byte over the limit reaches the size check, which answers 413 (busboy would truncate silently).
    fileSize: config.maxSizeBytes + 1,
    files: 1,
    fields: 8,
    parts: 10,
    fieldNameSize: 100,
    fieldSize: 1024,
    headerPairs: 32,
  };
}

/**
 * Reads `POST /v1/files`: a multipart body with one file in the field `file` and an
 * optional `expiresAt`, in any order. The file is streamed straight to storage by
 * {@link FilesService.receive}; the fields are checked once the body is read, and a
 * refusal removes the bytes already stored.
 */
@Injectable()
export class FileUploads {
  constructor(
    private readonly files: FilesService,
    private readonly config: FilesConfig,
  ) {}

  /** The Idempotency-Key header, checked, or undefined when absent. */
  idempotencyKey(request: FastifyRequest): string | undefined {
    const value = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
      throw new InvalidFileInputError(
        'header:Idempotency-Key',
        'must be 1 to 255 visible ASCII characters (a UUID is a good choice)',
      );
    }
    return value;
  }

  async upload(
    request: FastifyRequest,
    tenantId: string,
    idempotencyKey?: string,
  ): Promise<RegisteredUpload> {
    if (!request.isMultipart()) {
      throw new ProblemException({
        status: 415,
        kind: 'unsupportedType',
        detail: 'Send the file as multipart/form-data, in a field named "file".',
      });
    }
    const declaredLength = Number(request.headers['content-length']);
    if (declaredLength > this.config.maxSizeBytes + MULTIPART_OVERHEAD_BYTES) {
      throw new FileTooLargeError(this.config.maxSizeBytes);
    }
    let received: ReceivedUpload | undefined;
    let expiresAt: Date | undefined;
    let sawExpiresAt = false;
    try {
      for await (const part of readParts(request, this.config.maxSizeBytes)) {
        if (part.type === 'file' && part.fieldname === UPLOAD_FIELD && !received) {
          received = await this.files.receive(tenantId, {
            fileName: part.filename,
            contentType: part.mimetype,
            body: part.file,
          });
        } else if (part.type === 'field' && part.fieldname === EXPIRES_AT_FIELD && !sawExpiresAt) {
          // Checked as it arrives: sent before the file, a bad value stops the upload before a byte is stored.
          // Empty is "not given", as a browser form sends a field left blank.
          expiresAt = String(part.value) === '' ? undefined : parseExpiresAt(String(part.value));
          sawExpiresAt = true;
        } else {
          if (part.type === 'file') part.file.resume();
          throw new InvalidFileInputError(
            part.fieldname,
            part.type === 'file' && part.fieldname === UPLOAD_FIELD
              ? 'send one file only'
              : `is not expected; send "${UPLOAD_FIELD}" and optionally "${EXPIRES_AT_FIELD}", once each`,
          );
        }
      }
      if (!received) {
        throw new InvalidFileInputError(
          UPLOAD_FIELD,
          `no file was sent; send it in the multipart field "${UPLOAD_FIELD}"`,
        );
      }
      return await this.files.register(received, { expiresAt, idempotencyKey });
    } catch (error) {
      if (received) await this.files.discard(received);
      throw error;
    }
  }
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
  if (code === 'FST_FILES_LIMIT') return new InvalidFileInputError(UPLOAD_FIELD, 'send one file only');
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new InvalidFileInputError('(body)', 'too many fields; send "file" and optionally "expiresAt"');
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ProblemException(
    { status: 400, detail: `The multipart body is malformed or incomplete: ${reason}.` },
    { cause: error },
  );
}

function parseExpiresAt(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidFileInputError(
      EXPIRES_AT_FIELD,
      'must be an ISO 8601 date-time, e.g. 2030-01-31T12:00:00Z',
    );
  }
  if (date.getTime() <= Date.now())
    throw new InvalidFileInputError(EXPIRES_AT_FIELD, 'must be in the future');
  return date;
}
