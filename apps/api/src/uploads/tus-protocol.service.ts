import { Injectable, Logger } from '@nestjs/common';
import { Server } from '@tus/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FilesConfig, UploadsConfig } from '@depot/config';
import {
  type FileEntity,
  FileIntakeService,
  parseExpiresAt,
  parseMetadata,
  partialUploadKey,
  PostgresUploadLocker,
  type UploadGrant,
  UploadStore,
} from '@depot/files';
import { notFound, ProblemException, validationProblem } from '../http/problem';
import { TUS_BODY_TYPE, webBody } from './tus-body';

/** Where tus is served; the upload URL is `/v1/uploads/{file id}`. */
export const UPLOADS_PATH = '/v1/uploads';

/** The request's part in a tus exchange: whose upload, and what the hooks learned. */
interface Exchange {
  tenantId: string;
  /** An upload link's limits and values, when the upload is created through one. */
  grant?: UploadGrant;
  /** The upload's file (known before the call for HEAD/PATCH/DELETE; made by POST). */
  file?: FileEntity;
  /** A domain error thrown inside a hook, answered as the api's own problem. */
  error?: unknown;
  /** Set when this request wrote the last byte. */
  finished?: boolean;
}

/** A tus answer, ready to send: its status and the headers to copy (tus answers carry no body). */
export interface TusReply {
  status: number;
  headers: Record<string, string>;
  /** The upload's file after the exchange (created, advanced, completed). */
  file?: FileEntity;
}

/** Headers the api's CORS layer sets; the tus server's own would duplicate them. */
const CORS_HEADER = /^access-control-/i;
const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

/**
 * tus 1.0.0 (core, creation, creation-with-upload, termination, expiration) through
 * `@tus/server`, with Depot's rules in its hooks: the upload's id is a file id made by
 * {@link FileIntakeService.beginResumable} (type and size policy at creation), the last byte hands
 * the file to the same path as a multipart upload, and writes to one upload are serialised
 * across processes by {@link PostgresUploadLocker}. The bytes live where {@link UploadStore}
 * says (the default disk's root or bucket), so any replica serves any upload.
 *
 * Requests reach it through Fastify and Nest (auth, rate limits, request ids, problem+json)
 * as web `Request`s; tus's answers come back as {@link TusReply}s and its errors as
 * problems.
 */
@Injectable()
export class TusProtocolService {
  private readonly logger = new Logger(TusProtocolService.name);
  private readonly server: Server;
  private readonly exchanges = new WeakMap<Request, Exchange>();

  constructor(
    private readonly intake: FileIntakeService,
    private readonly store: UploadStore,
    locker: PostgresUploadLocker,
    config: FilesConfig,
    private readonly uploads: UploadsConfig,
  ) {
    this.server = new Server({
      path: UPLOADS_PATH,
      datastore: store.datastore,
      locker,
      maxSize: config.maxSizeBytes,
      relativeLocation: true,
      disableTerminationForFinishedUploads: true,
      // CORS is the api's (api.cors.origins); tus answers no origin of its own.
      allowedOrigins: () => false,
      namingFunction: (request, metadata) => this.create(request, metadata),
      generateUrl: (_request, { path, id }) => `${path}/${fileIdOf(id)}`,
      getFileIdFromRequest: (request) => {
        const file = this.exchanges.get(request)?.file;
        return file && partialUploadKey(file.id);
      },
      // The file is completed once tus has answered (it still reads the upload after this hook).
      onUploadFinish: (request) => {
        this.exchanges.get(request)!.finished = true;
        return Promise.resolve({});
      },
      onResponseError: (request, error) => {
        const exchange = this.exchanges.get(request);
        if (exchange && !isTusError(error)) exchange.error = error;
        return undefined;
      },
    });
  }

  /** Answers one tus request for `tenantId`, about `file` (its upload) unless it creates one. */
  async handle(
    request: FastifyRequest,
    tenantId: string,
    file?: FileEntity,
    grant?: UploadGrant,
  ): Promise<TusReply> {
    const webRequest = toWebRequest(request);
    const exchange: Exchange = { tenantId, file, grant };
    this.exchanges.set(webRequest, exchange);
    const response = await this.server.handleWeb(webRequest);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!CORS_HEADER.test(name) && name !== 'content-length') headers[name] = value;
    });
    if (response.status >= 400) {
      releaseUnreadBody(webRequest);
      if (exchange.file && request.method === 'POST') await this.discardCreated(exchange.file);
      if (exchange.error) throw exchange.error;
      const detail = (await response.text()).trim() || 'The upload request was refused.';
      throw new ProblemException({ status: response.status, detail: sentence(detail), headers });
    }
    await response.body?.cancel();
    const upload = exchange.file;
    // The last byte arrived in this request, or (HEAD) in one that ended before the file was completed.
    const complete =
      exchange.finished ||
      (request.method === 'HEAD' && upload && headers['upload-offset'] === headers['upload-length']);
    if (upload && complete) {
      return { status: response.status, headers, file: await this.complete(upload) };
    }
    if (request.method === 'HEAD' && upload) headers['upload-expires'] = this.expiresAt(upload).toUTCString();
    return { status: response.status, headers, file: upload };
  }

  /** The tenant's unfinished upload `id`, or the 404 of one that does not exist (or is another tenant's). */
  async find(tenantId: string, id: string): Promise<FileEntity> {
    const file = await this.intake.findResumable(tenantId, id);
    if (!file) throw notFound('upload');
    return file;
  }

  /**
   * After an answer that moved an upload's offset: records the bytes received (for
   * `GET /v1/files/{id}`). Runs once the client has its answer; a failure costs only that figure.
   */
  async recordProgress({ file, headers }: TusReply): Promise<void> {
    const offset = Number(headers['upload-offset']);
    if (file?.status !== 'uploading' || !Number.isSafeInteger(offset)) return;
    try {
      await this.intake.recordProgress(file, offset);
    } catch (error) {
      this.logger.warn({ err: error, fileId: file.id }, 'could not record the progress of an upload');
    }
  }

  /** After tus terminated an upload (its bytes): its bookkeeping and its file go too. */
  async terminated(file: FileEntity): Promise<void> {
    await this.store.forget(file.id);
    await this.intake.abandon(file.id);
  }

  /**
   * POST: the upload's file, made by the intake from what the client declared. The
   * Upload-Metadata keys Depot reads are all here (`filename`/`name`, `filetype`/`type`,
   * `expiresAt`, `bucket`, and `metadata` as a JSON object of strings).
   */
  private async create(
    request: Request,
    metadata: Record<string, string | null> | undefined,
  ): Promise<string> {
    const exchange = this.exchanges.get(request)!;
    const size = Number(request.headers.get('upload-length'));
    if (request.headers.get('upload-length') === null || !Number.isSafeInteger(size) || size < 0) {
      throw validationProblem([
        { field: 'header:Upload-Length', message: 'send the length of the whole upload in bytes' },
      ]);
    }
    const expiresAt = metadata?.expiresAt;
    const { grant } = exchange;
    const file = await this.intake.beginResumable({
      tenantId: exchange.tenantId,
      fileName: grant?.fileName ?? metadata?.filename ?? metadata?.name ?? undefined,
      contentType: metadata?.filetype ?? metadata?.type ?? undefined,
      size,
      expiresAt:
        grant?.expiresAt ?? (expiresAt ? parseExpiresAt(expiresAt, 'Upload-Metadata:expiresAt') : undefined),
      limits: grant?.limits,
      // A link's bucket wins over what the uploader names.
      bucket: grant ? grant.bucket : (metadata?.bucket ?? undefined),
      metadata: metadata?.metadata ? parseMetadata(metadata.metadata, 'Upload-Metadata:metadata') : undefined,
    });
    exchange.file = file;
    return partialUploadKey(file.id);
  }

  /** The last byte arrived: the file goes on exactly as a multipart upload does. */
  private async complete(file: FileEntity): Promise<FileEntity> {
    return this.intake.completeResumable(file);
  }

  /** When tus stops taking the upload (its creation plus `uploads.expireAfterSeconds`). */
  private expiresAt(file: FileEntity): Date {
    return new Date(file.createdAt.getTime() + this.uploads.expireAfterSeconds * 1000);
  }

  /** A creation that failed after its file was made leaves nothing behind. */
  private async discardCreated(file: FileEntity): Promise<void> {
    try {
      await this.store.remove(file.id);
      await this.intake.abandon(file.id);
    } catch (error) {
      // The expiry task removes it later.
      this.logger.warn({ err: error, fileId: file.id }, 'could not discard a refused upload');
    }
  }
}

/** The file id in an upload's store id (`uploads/{id}`). */
function fileIdOf(storeId: string): string {
  return storeId.slice(storeId.lastIndexOf('/') + 1);
}

function isTusError(error: unknown): boolean {
  return typeof (error as { status_code?: unknown } | null)?.status_code === 'number';
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * A refused request's body that tus never read (a 423 while another request holds the
 * upload, a 409 at a wrong offset): the web stream over it holds the Node stream paused
 * once its queue is full, which would stall the unread-body drain (libs/runtime) until it
 * cuts the connection. Reading it to nowhere lets the rest flow through that drain, which
 * bounds it. A body tus started reading is locked and left as tus left it.
 */
function releaseUnreadBody(request: Request): void {
  const body = request.body;
  if (body && !body.locked) void body.pipeTo(new WritableStream()).catch(() => undefined);
}

/** The Fastify request as a web Request whose body streams from the socket, unread until tus reads it. */
function toWebRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  // Only tus's own body type is left unread for tus (see registerTusBody); any other body was
  // parsed (or refused) by Fastify already, and tus ignores it.
  const hasBody =
    !NO_BODY_METHODS.has(request.method) &&
    request.headers['content-type']?.split(';', 1)[0]!.trim().toLowerCase() === TUS_BODY_TYPE;
  return new Request(`http://depot.invalid${request.url}`, {
    method: request.method,
    headers,
    ...(hasBody && {
      body: webBody(request.raw),
      duplex: 'half',
    }),
  } as RequestInit);
}

/** Sends a tus answer: its status and headers, no body (tus answers carry none). */
export function sendTus(reply: FastifyReply, answer: TusReply): void {
  void reply.status(answer.status).headers(answer.headers).send();
}
