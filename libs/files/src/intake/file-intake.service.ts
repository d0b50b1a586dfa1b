import { randomUUID } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import { FilesConfig } from '@depot/config';
import { EntityReader } from '@depot/database';
import { JobQueue } from '@depot/queue';
import { FileNotFoundError, StorageService } from '@depot/storage';
import { ByteLimit } from '../byte-limit';
import { DEFAULT_CONTENT_TYPE, isTypeAccepted, mediaTypeEssence } from '../content-type';
import { FileEntity } from '../entities/file.entity';
import { sanitizeFileName } from '../file-name';
import {
  FileTooLargeError,
  IdempotencyKeyReusedError,
  InvalidFileInputError,
  UnsupportedFileTypeError,
  UploadInterruptedError,
} from '../file.errors';
import { incomingKey } from '../file.keys';
import { UploadStore } from './upload-store';
import { UploadMetrics } from './upload.metrics';

/** A file as a source declares it: a name and a type, both untrusted. */
export interface DeclaredFile {
  fileName: string | undefined;
  contentType: string | undefined;
}

/** One file's bytes as they arrive, with what the client declared about them. */
export interface IncomingFile extends DeclaredFile {
  body: Readable;
}

/** Limits narrower than the tenant-wide policy, e.g. an upload link's. */
export interface IntakeLimits {
  /** At most `files.maxSizeBytes`. */
  maxSizeBytes?: number;
  /** Entries `type/subtype` or `type/*`; checked in addition to `files.allowedTypes`. */
  allowedTypes?: readonly string[];
}

/** What a request says about the file besides its bytes. */
export interface IntakeFields {
  expiresAt?: Date;
}

/** Hands the file's bytes to the intake; called at most once per request. */
export type ReceiveFile = (file: IncomingFile) => Promise<void>;

/** One single-request upload, as an adapter (multipart, upload link) presents it. */
export interface IntakeRequest {
  tenantId: string;
  idempotencyKey?: string;
  limits?: IntakeLimits;
  /** Values that win over what the request sends (an upload link's name and expiry). */
  overrides?: { fileName?: string; expiresAt?: Date };
  /** Reads the request: passes the file to `receive` once, and resolves to the other fields. */
  read(receive: ReceiveFile): Promise<IntakeFields>;
}

export interface IntakeResult {
  file: FileEntity;
  /** True when an earlier upload with the same Idempotency-Key is being answered again. */
  replayed: boolean;
}

/** A resumable upload about to start: what its client declared up front. */
export interface ResumableDeclaration extends DeclaredFile, IntakeFields {
  tenantId: string;
  /** The whole upload's length (tus `Upload-Length`). */
  size: number;
  limits?: IntakeLimits;
}

/** Bytes stored under `incoming/`, not yet recorded as a file. */
interface Received {
  fileId: string;
  tenantId: string;
  disk: string;
  storageKey: string;
  name: string;
  contentType: string;
  size: number;
}

/** How long an upload waits for Redis before answering anyway; `requeueStuck` enqueues what is missed. */
const ENQUEUE_TIMEOUT_MS = 2000;
const UNIQUE_VIOLATION = '23505';

/**
 * The one way a file enters Depot, whatever carries its bytes (a multipart POST, an
 * upload link, a tus upload). It answers a repeated Idempotency-Key without reading the
 * body, checks the declared type and the size limit, streams the bytes to
 * `tenants/{tenantId}/incoming/{fileId}` on the default disk, records the file as
 * `pending` (or removes every byte it stored when anything fails) and enqueues its
 * processing. Adapters only parse their protocol.
 */
@Injectable()
export class FileIntake {
  private readonly logger = new Logger(FileIntake.name);
  private readonly reader: EntityReader<FileEntity>;

  constructor(
    @InjectRepository(FileEntity) private readonly files: Repository<FileEntity>,
    private readonly config: FilesConfig,
    private readonly storage: StorageService,
    private readonly jobs: JobQueue,
    private readonly metrics: UploadMetrics,
    private readonly uploads: UploadStore,
  ) {
    this.reader = new EntityReader(files);
  }

  /**
   * Takes one file in one request. With an Idempotency-Key already used by the tenant, the
   * body is not read and the first upload's file is returned (`replayed`).
   */
  async upload(request: IntakeRequest): Promise<IntakeResult> {
    const { tenantId, idempotencyKey } = request;
    if (idempotencyKey) {
      const first = await this.findByIdempotencyKey(tenantId, idempotencyKey);
      if (first) return replay(first);
    }
    let received: Received | undefined;
    try {
      const fields = await request.read(async (file) => {
        if (received) throw new InvalidFileInputError('file', 'send one file only');
        const fileName = request.overrides?.fileName ?? file.fileName;
        received = await this.receive(tenantId, { ...file, fileName }, request.limits);
      });
      if (!received) {
        throw new InvalidFileInputError('file', 'no file was sent; send it in the multipart field "file"');
      }
      const expiresAt = request.overrides?.expiresAt ?? fields.expiresAt;
      return await this.register(received, { expiresAt }, idempotencyKey);
    } catch (error) {
      if (received) await this.removeQuietly(received.disk, received.storageKey);
      throw error;
    }
  }

  /**
   * Starts a resumable upload: checks the declared type and length against the policy
   * (415, 413 before a byte is sent) and records the file as `uploading`. Its id is the
   * upload's id.
   */
  async beginResumable(declaration: ResumableDeclaration): Promise<FileEntity> {
    const contentType = this.acceptedType(declaration.contentType, declaration.limits);
    const maxSizeBytes = this.maxSizeBytes(declaration.limits);
    if (declaration.size > maxSizeBytes) throw new FileTooLargeError(maxSizeBytes);
    if (declaration.size === 0) throw new InvalidFileInputError('Upload-Length', 'the file is empty');
    const fileId = randomUUID();
    const disk = this.storage.disk();
    const file = this.files.create({
      id: fileId,
      tenantId: declaration.tenantId,
      name: sanitizeFileName(declaration.fileName),
      size: declaration.size,
      receivedBytes: 0,
      contentType,
      detectedType: null,
      sha256: null,
      status: 'uploading',
      failureReason: null,
      disk: disk.name,
      storageKey: incomingKey(declaration.tenantId, fileId),
      idempotencyKey: null,
      expiresAt: declaration.expiresAt ?? null,
      deletedAt: null,
    });
    await this.files.insert(file);
    this.metrics.started.inc({ source: 'tus' });
    this.logger.log({ msg: 'resumable upload started', fileId, tenantId: file.tenantId, size: file.size });
    return file;
  }

  /** The tenant's upload still receiving bytes, or null (unknown, finished, another tenant's). */
  findResumable(tenantId: string, fileId: string): Promise<FileEntity | null> {
    return this.reader.findOne(`id = $1 AND tenant_id = $2 AND status = 'uploading'`, [fileId, tenantId]);
  }

  /** Notes how many bytes of a resumable upload have arrived (for `GET /v1/files/{id}`). */
  async recordProgress(file: FileEntity, offset: number): Promise<void> {
    const added = offset - (file.receivedBytes ?? 0);
    const result = await this.files
      .createQueryBuilder()
      .update(FileEntity)
      .set({ receivedBytes: offset })
      .where(`id = :id AND status = 'uploading' AND coalesce(received_bytes, 0) < :offset`, {
        id: file.id,
        offset,
      })
      .execute();
    if (result.affected && added > 0) this.metrics.bytes.inc({ source: 'tus' }, added);
  }

  /**
   * The last byte of a resumable upload has arrived: its bytes are assembled at the
   * file's `incoming/` key and the file continues exactly as a single-request upload does
   * (`pending`, then the worker). Safe to call twice, even at once: only one call moves
   * and enqueues, the other finds the file completed.
   */
  async completeResumable(file: FileEntity): Promise<FileEntity> {
    try {
      await this.uploads.assemble(file.id, file.storageKey);
      await this.uploads.forget(file.id);
    } catch (error) {
      // Another request completed it first (its bytes are gone from the upload store).
      const current = await this.files.findOneBy({ id: file.id });
      if (current && current.status !== 'uploading') return current;
      throw error;
    }
    const result = await this.files
      .createQueryBuilder()
      .update(FileEntity)
      .set({ status: 'pending', receivedBytes: file.size })
      .where(`id = :id AND status = 'uploading'`, { id: file.id })
      .execute();
    const completed = await this.files.findOneByOrFail({ id: file.id });
    if (result.affected) {
      this.metrics.completed.inc({ source: 'tus' });
      this.metrics.bytes.inc({ source: 'tus' }, (file.size ?? 0) - (file.receivedBytes ?? 0));
      this.logger.log({ msg: 'file uploaded', fileId: file.id, tenantId: file.tenantId, size: file.size });
      await this.enqueueProcessing(completed);
    }
    return completed;
  }

  /** Forgets a resumable upload (terminated or expired); its partial bytes are the caller's to remove (UploadStore). */
  async abandon(fileId: string): Promise<boolean> {
    const result = await this.files.delete({ id: fileId, status: 'uploading' });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Streams a file to its `incoming/` key. Refuses a type outside the policy before
   * reading a byte and stops a file over the limit while it streams; on any failure
   * nothing is left on the disk.
   */
  private async receive(tenantId: string, file: IncomingFile, limits?: IntakeLimits): Promise<Received> {
    const contentType = this.acceptedType(file.contentType, limits);
    const maxSizeBytes = this.maxSizeBytes(limits);
    const disk = this.storage.disk();
    const fileId = randomUUID();
    const key = incomingKey(tenantId, fileId);
    const limit = new ByteLimit(maxSizeBytes);
    const sourceDone = new Promise<Error | undefined>((resolve) =>
      pipeline(file.body, limit, (error) => resolve(error ?? undefined)),
    );
    try {
      await disk.write(key, limit, { contentType });
    } catch (error) {
      limit.destroy();
      const sourceError = await sourceDone;
      await this.removeQuietly(disk.name, key);
      if (limit.bytes > maxSizeBytes) throw new FileTooLargeError(maxSizeBytes);
      if (sourceError && (sourceError as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        throw new UploadInterruptedError(sourceError);
      }
      throw error;
    }
    await sourceDone;
    if (limit.bytes === 0) {
      await this.removeQuietly(disk.name, key);
      throw new InvalidFileInputError('file', 'the file is empty');
    }
    return {
      fileId,
      tenantId,
      disk: disk.name,
      storageKey: key,
      name: sanitizeFileName(file.fileName),
      contentType,
      size: limit.bytes,
    };
  }

  /**
   * Records received bytes as a `pending` file and enqueues its processing (job id = file
   * id, so a repeat enqueue is harmless). When another request with the same
   * Idempotency-Key won the race, the new bytes are dropped and its file is returned.
   */
  private async register(
    received: Received,
    fields: IntakeFields,
    idempotencyKey: string | undefined,
  ): Promise<IntakeResult> {
    const file = this.files.create({
      id: received.fileId,
      tenantId: received.tenantId,
      name: received.name,
      size: received.size,
      receivedBytes: received.size,
      contentType: received.contentType,
      detectedType: null,
      sha256: null,
      status: 'pending',
      failureReason: null,
      disk: received.disk,
      storageKey: received.storageKey,
      idempotencyKey: idempotencyKey ?? null,
      expiresAt: fields.expiresAt ?? null,
      deletedAt: null,
    });
    try {
      await this.files.insert(file);
    } catch (error) {
      if (idempotencyKey && isIdempotencyConflict(error)) {
        await this.removeQuietly(received.disk, received.storageKey);
        const first = await this.findByIdempotencyKey(received.tenantId, idempotencyKey);
        if (first) return replay(first);
      }
      throw error;
    }
    this.metrics.completed.inc({ source: 'request' });
    this.metrics.bytes.inc({ source: 'request' }, received.size);
    this.logger.log({ msg: 'file uploaded', fileId: file.id, tenantId: file.tenantId, size: file.size });
    await this.enqueueProcessing(file);
    return { file, replayed: false };
  }

  private acceptedType(declared: string | undefined, limits: IntakeLimits | undefined): string {
    const contentType = mediaTypeEssence(declared) ?? DEFAULT_CONTENT_TYPE;
    const narrowed = limits?.allowedTypes?.length
      ? isTypeAccepted(contentType, { allowedTypes: limits.allowedTypes, deniedTypes: [] })
      : true;
    if (!narrowed || !isTypeAccepted(contentType, this.config)) {
      throw new UnsupportedFileTypeError(contentType);
    }
    return contentType;
  }

  private maxSizeBytes(limits: IntakeLimits | undefined): number {
    return Math.min(limits?.maxSizeBytes ?? this.config.maxSizeBytes, this.config.maxSizeBytes);
  }

  private findByIdempotencyKey(tenantId: string, idempotencyKey: string): Promise<FileEntity | null> {
    return this.reader.findOne('tenant_id = $1 AND idempotency_key = $2', [tenantId, idempotencyKey]);
  }

  private async enqueueProcessing(file: FileEntity): Promise<void> {
    const job = this.jobs.add(
      'files',
      'process',
      { fileId: file.id, tenantId: file.tenantId },
      { jobId: file.id },
    );
    try {
      await withTimeout(job, ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      // The row is committed: requeueStuck enqueues it again once Redis answers.
      this.logger.warn(
        { err: error, fileId: file.id },
        'could not enqueue processing; requeueStuck will retry',
      );
    }
  }

  private async removeQuietly(disk: string, key: string): Promise<void> {
    try {
      await this.storage.disk(disk).remove(key);
    } catch (error) {
      if (!(error instanceof FileNotFoundError)) {
        this.logger.error({ err: error, disk, key }, 'could not remove the bytes of a refused upload');
      }
    }
  }
}

function replay(first: FileEntity): IntakeResult {
  if (first.status === 'deleted') throw new IdempotencyKeyReusedError();
  return { file: first, replayed: true };
}

function isIdempotencyConflict(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const { code, constraint } = error.driverError as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION && constraint === 'ux_files_tenant_idempotency_key';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
