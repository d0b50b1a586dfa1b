import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { InvalidCursorError } from '@depot/database';
import {
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
import { ProblemException } from '../../../apps/api/src/http/problem';
import { toProblem } from '../../../apps/api/src/http/problem.mapping';

const statusOf = (error: unknown): number => toProblem(error).problem.status;

function fastifyError(code: string, statusCode: number, message = 'from fastify'): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

function queryFailed(code: string): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], Object.assign(new Error('pg'), { code }));
}

describe('toProblem', () => {
  it('keeps a ProblemException as thrown', () => {
    const problem = new ProblemException({ status: 409, detail: 'x' });
    expect(toProblem(problem)).toBe(problem);
  });

  it.each([
    [new FileTooLargeError(10), 413, 'urn:depot:problem:file-too-large'],
    [new UnsupportedFileTypeError('application/x-msdownload'), 415, 'urn:depot:problem:unsupported-type'],
    [new InvalidFileInputError('file', 'the file is empty'), 400, 'urn:depot:problem:validation'],
    [new FileNotReadyError('pending'), 409, 'urn:depot:problem:file-not-ready'],
    [new IdempotencyKeyReusedError(), 409, 'urn:depot:problem:idempotency-conflict'],
    [new InvalidCursorError(), 400, 'urn:depot:problem:validation'],
    [new InvalidLinkError('bad signature'), 403, 'urn:depot:problem:invalid-link'],
    [new ExpiredLinkError(new Date()), 403, 'urn:depot:problem:invalid-link'],
    [new FileNotFoundError({ operation: 'readStream', key: 'a' }), 404, 'about:blank'],
    [
      new StorageError({ operation: 'write', key: 'a', cause: new Error('EIO') }),
      503,
      'urn:depot:problem:unavailable',
    ],
  ])('maps %p to %i %s', (error, status, type) => {
    const { problem } = toProblem(error);
    expect(problem.status).toBe(status);
    expect(problem.type).toBe(type);
    expect(problem.title).toBeTruthy();
    expect(problem.detail).toBeTruthy();
  });

  it("takes a files error's detail from its message, and the status or type it chooses among from the error", () => {
    expect(toProblem(new QuotaExceededError('maxFiles', 3)).problem).toMatchObject({
      status: 409,
      type: 'urn:depot:problem:quota-max-files',
      detail: "The tenant's quota of 3 files would be exceeded.",
    });
    expect(toProblem(new QuotaExceededError('maxBytes', 9)).problem.type).toBe(
      'urn:depot:problem:quota-max-bytes',
    );
    expect(toProblem(new UploadLinkRefusedError('used')).problem).toMatchObject({
      status: 410,
      type: 'urn:depot:problem:invalid-link',
    });
    expect(statusOf(new UploadLinkRefusedError('expired'))).toBe(403);
    expect(toProblem(new BucketNotFoundError('avatars')).problem).toMatchObject({
      status: 404,
      type: 'about:blank',
      detail: 'There is no bucket named "avatars".',
    });
  });

  it("never shows a storage error's message, which names keys", () => {
    const missing = toProblem(new FileNotFoundError({ operation: 'readStream', key: 'tenant/secret-key' }));
    expect(missing.problem.detail).toBe('No such file.');
    const refusedKey = toProblem(
      new InvalidPathError({ operation: 'write', key: '../x', reason: 'traversal' }),
    );
    expect(refusedKey.problem).toMatchObject({ status: 500, detail: 'An unexpected error occurred.' });
    expect(toProblem(new StorageError({ operation: 'write', key: 'a/b' })).headers).toEqual({
      'retry-after': '5',
    });
  });

  it('lists the field of a domain validation error', () => {
    expect(toProblem(new InvalidFileInputError('expiresAt', 'must be in the future')).problem.errors).toEqual(
      [{ field: 'expiresAt', message: 'must be in the future' }],
    );
  });

  it('gives 416 with the size for a range past the end', () => {
    const problem = toProblem(
      new InvalidRangeError({ operation: 'readStream', key: 'a', range: { start: 10 }, size: 5 }),
    );
    expect(problem.problem.status).toBe(416);
    expect(problem.headers).toEqual({ 'content-range': 'bytes */5' });
  });

  it("maps Nest's exceptions and Fastify's wrapped client errors, with Fastify's code explained", () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope')).problem).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: 'Cannot GET /nope.',
    });
    expect(toProblem(new BadRequestException(['a is bad', 'b is bad'])).problem.detail).toBe(
      'a is bad; b is bad',
    );
    const tooLarge = new HttpException('body too large', 413, {
      cause: fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413),
    });
    expect(toProblem(tooLarge).problem.detail).toMatch(/larger than this endpoint accepts/);
    const badJson = new HttpException('Unexpected token', 400, {
      cause: new SyntaxError('Unexpected token'),
    });
    expect(toProblem(badJson).problem.detail).toBe('The request body is not valid JSON.');
  });

  it("maps a Fastify plugin's client error met inside a handler, and an interrupted upload by its cause", () => {
    expect(statusOf(fastifyError('FST_PROTO_VIOLATION', 400))).toBe(400);
    expect(statusOf(fastifyError('FST_ERR_BAD_URL', 400))).toBe(400);
    expect(statusOf(new UploadInterruptedError(fastifyError('FST_MP_PREMATURE_CLOSE', 400)))).toBe(400);
    expect(statusOf(new UploadInterruptedError(new Error('Unexpected end of form')))).toBe(400);
  });

  it('answers 400 for input PostgreSQL refused, 503 when a dependency is down, and 500 for the rest', () => {
    expect(statusOf(queryFailed('22P02'))).toBe(400);
    expect(statusOf(queryFailed('23505'))).toBe(500);
    expect(
      statusOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ).toBe(503);
    expect(statusOf(new Error('Connection terminated unexpectedly'))).toBe(503);
    expect(statusOf(queryFailed('57P01'))).toBe(503);
    expect(statusOf(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(503);
    const unavailable = toProblem(new Error('Connection is closed.'));
    expect(unavailable.headers['retry-after']).toBe('5');
    expect(statusOf(new TypeError('undefined is not a function'))).toBe(500);
    expect(toProblem(new TypeError('secret detail')).problem.detail).toBe('An unexpected error occurred.');
    expect(statusOf('a string')).toBe(500);
  });

  it('never lets a 5xx HttpException leak its message', () => {
    expect(toProblem(new HttpException('db password is hunter2', 500)).problem.detail).toBe(
      'An unexpected error occurred.',
    );
  });
});
