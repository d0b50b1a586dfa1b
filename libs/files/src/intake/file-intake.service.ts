import { randomUUID } from 'node:crypto';
import { pipeline, type Readable, type Writable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, QueryFailedError, type Repository } from 'typeorm';
import { FilesConfig } from '@depot/config';
import { EntityReader, TransactionRunner } from '@depot/database';
import { type LogContext, withSyncLogContext } from '@depot/observability';
import { WebhookEventsService } from '@depot/webhooks';
import { FileNotFoundError, prematureClose, StorageService } from '@depot/storage';
import { BucketEntity, DEFAULT_BUCKET } from '../buckets/bucket.entity';
import { checkFileFitsBucket } from '../buckets/bucket-rules';
import { ByteLimit } from '../byte-limit';
import { DEFAULT_CONTENT_TYPE, isTypeAccepted, mediaTypeEssence } from '../content-type';
import type { FileEntity } from '../entities/file.entity';
import type { FileMetadata } from '../file-metadata';
import { checkObjectName, sanitizeFileName } from '../file-name';
import { FileViewsService } from '../file-views.service';
import {
  BucketNotFoundError,
  FileNotReadyError,
  FileTooLargeError,
  IdempotencyKeyReusedError,
  InvalidFileInputError,
  QuotaExceededError,
  UnsupportedFileTypeError,
  UploadInterruptedError,
} from '../file.errors';
import { incomingKey, storedKey } from '../file.keys';
import { FileJobs } from '../file-jobs';
import { FilesRepository } from '../files.repository';
import { QuotaMeter, RESERVE_STEP_BYTES } from '../usage/quota-meter';
import { type UsageChange, UsageCounters } from '../usage/usage-counters';
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
  /** The bucket's `allowedTypes`, checked in addition to the others. */
  bucketTypes?: readonly string[];
}

/** What a request says about the file besides its bytes. */
export interface IntakeFields {
  expiresAt?: Date;
  /** The name to keep, instead of the file part's (may hold `/` folders; see checkObjectName). */
  name?: string;
  metadata?: FileMetadata;
}

/** Hands the file's bytes to the intake; called at most once per request. */
export type ReceiveFile = (file: IncomingFile) => Promise<void>;

/** One single-request upload, as an adapter (multipart, upload link) presents it. */
export interface IntakeRequest {
  tenantId: string;
  /** The bucket's name; `default` when none is named. Its rules apply with `limits`. */
  bucket?: string;
  idempotencyKey?: string;
  limits?: IntakeLimits;
  /** Values that win over what the request sends (an upload link's name and expiry). */
  overrides?: { fileName?: string; expiresAt?: Date };
  /**
   * The most bytes the request can carry, file and all (its Content-Length), when known:
   * a body that fits one quota step is reserved once, exactly, when it is recorded.
   */
  bodyBytes?: number;
  /** Reads the request: passes the file to `receive` once, and resolves to the other fields. */
  read(receive: ReceiveFile): Promise<IntakeFields>;
  /**
   * The request's id, for what the upload logs and the job it enqueues, when the request
   * runs in no log context of its own (see `registerRequestContext`).
   */
  requestId?: string;
}

export interface IntakeResult {
  file: FileEntity;
  /** The bucket the file was stored in, for a new upload (a replay's is the file's own, to look up). */
  bucket?: BucketEntity;
  /** True when an earlier upload with the same Idempotency-Key is being answered again. */
  replayed: boolean;
}

/** A resumable upload about to start: what its client declared up front. */
export interface ResumableDeclaration extends DeclaredFile, IntakeFields {
  tenantId: string;
  /** The bucket's name; `default` when none is named. */
  bucket?: string;
  /** The whole upload's length (tus `Upload-Length`). */
  size: number;
  limits?: IntakeLimits;
}

/** Bytes stored under `incoming/`, not yet recorded as a file. */
interface Received {
  fileId: string;
  tenantId: string;
  bucket: BucketEntity;
  /** Bytes held against the quota while streaming (at least `size`); settled on register. */
  reservedBytes: number;
  /** Files held against the quota: 1 once streaming began with a reservation, 0 for a small body. */
  reservedFiles: number;
  /** Set once its bytes are removed and its reservation given back. */
  discarded?: boolean;
  disk: string;
  storageKey: string;
  name: string;
  contentType: string;
  size: number;
}

/** A body at most this long is reserved against the quota once it is stored (see receive): QuotaMeter's step. */
const SMALL_BODY_BYTES = RESERVE_STEP_BYTES;
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
export class FileIntakeService {
  private readonly logger = new Logger(FileIntakeService.name);
  /** Buckets by tenant and name on every upload: plain SQL, not the query builder (a tenth of an upload's CPU). */
  private readonly bucketReader: EntityReader<BucketEntity>;

  constructor(
    private readonly files: FilesRepository,
    @InjectRepository(BucketEntity) private readonly buckets: Repository<BucketEntity>,
    private readonly transactions: TransactionRunner,
    private readonly config: FilesConfig,
    private readonly storage: StorageService,
    private readonly fileJobs: FileJobs,
    private readonly metrics: UploadMetrics,
    private readonly uploads: UploadStore,
    private readonly webhooks: WebhookEventsService,
    private readonly views: FileViewsService,
  ) {
    this.bucketReader = new EntityReader(buckets);
  }

  /**
   * Takes one file in one request. With an Idempotency-Key already used by the tenant, the
   * body is not read and the first upload's file is returned (`replayed`).
   */
  async upload(request: IntakeRequest): Promise<IntakeResult> {
    const { tenantId, idempotencyKey } = request;
    const log = logContextOf(request.requestId);
    if (idempotencyKey) {
      const first = await this.findByIdempotencyKey(tenantId, idempotencyKey);
      if (first) return replay(first);
    }
    const bucket = await this.bucket(tenantId, request.bucket);
    const limits = bucketLimits(bucket, request.limits);
    let received: Received | undefined;
    try {
      const fields = await request.read(async (file) => {
        if (received) throw new InvalidFileInputError('file', 'send one file only');
        const fileName = request.overrides?.fileName ?? file.fileName;
        received = await this.receive(
          tenantId,
          bucket,
          { ...file, fileName },
          limits,
          request.bodyBytes,
          log,
        );
      });
      if (!received) {
        throw new InvalidFileInputError('file', 'no file was sent; send it in the multipart field "file"');
      }
      const expiresAt = request.overrides?.expiresAt ?? fields.expiresAt;
      const name = request.overrides?.fileName ? undefined : fields.name;
      return await this.register(
        received,
        { expiresAt, name, metadata: fields.metadata },
        idempotencyKey,
        log,
      );
    } catch (error) {
      if (received) await this.discard(received, log);
      throw error;
    }
  }

  /**
   * Starts a resumable upload: checks the declared type and length against the policy
   * (415, 413 before a byte is sent) and records the file as `uploading`. Its id is the
   * upload's id.
   */
  async beginResumable(declaration: ResumableDeclaration): Promise<FileEntity> {
    const bucket = await this.bucket(declaration.tenantId, declaration.bucket);
    const limits = bucketLimits(bucket, declaration.limits);
    const contentType = this.acceptedType(declaration.contentType, limits);
    const maxSizeBytes = this.maxSizeBytes(limits);
    if (declaration.size > maxSizeBytes) throw new FileTooLargeError(maxSizeBytes);
    if (declaration.size === 0) throw new InvalidFileInputError('Upload-Length', 'the file is empty');
    const fileId = randomUUID();
    const disk = this.storage.disk();
    const file = this.files.create({
      id: fileId,
      tenantId: declaration.tenantId,
      bucketId: bucket.id,
      metadata: declaration.metadata ?? {},
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
      expiresAt: declaration.expiresAt ?? retentionExpiry(bucket),
      deletedAt: null,
    });
    // The whole declared length counts against the quota from creation until the upload ends.
    await this.transactions.run(async (manager) => {
      await UsageCounters.reserve(manager, {
        tenantId: declaration.tenantId,
        bucketId: bucket.id,
        bytes: declaration.size,
        files: 1,
      });
      await this.files.insert(manager, file);
    });
    this.metrics.started.inc({ source: 'tus' });
    this.logger.log({ msg: 'resumable upload started', fileId, tenantId: file.tenantId, size: file.size });
    return file;
  }

  /** The tenant's upload still receiving bytes, or null (unknown, finished, another tenant's). */
  findResumable(tenantId: string, fileId: string): Promise<FileEntity | null> {
    return this.files.uploading(tenantId, fileId);
  }

  /** Notes how many bytes of a resumable upload have arrived (for `GET /v1/files/{id}`). */
  async recordProgress(file: FileEntity, offset: number): Promise<void> {
    const added = offset - (file.receivedBytes ?? 0);
    const recorded = await this.files.recordProgress(file.id, offset);
    if (recorded && added > 0) this.metrics.bytes.inc({ source: 'tus' }, added);
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
      const current = await this.files.byId(file.id);
      if (current && current.status !== 'uploading') return current;
      throw error;
    }
    const completedNow = await this.files.completeUpload(file.id, file.size);
    const completed = await this.files.byIdOrFail(file.id);
    if (completedNow) {
      this.metrics.completed.inc({ source: 'tus' });
      this.metrics.bytes.inc({ source: 'tus' }, (file.size ?? 0) - (file.receivedBytes ?? 0));
      this.logger.log({ msg: 'file uploaded', fileId: file.id, tenantId: file.tenantId, size: file.size });
      await this.enqueueProcessing(completed);
    }
    return completed;
  }

  /**
   * Copies a ready file into a bucket (its own when none is named), under another name if
   * given: a new `ready` file with the same bytes, sha256 and types. The bytes are copied by
   * the storage itself (S3 CopyObject, or UploadPartCopy for large objects; a local file
   * copy), never through the api. The destination bucket's rules and the tenant's quota
   * apply as to an upload; refused, nothing is stored. Records `file.copied` with the new
   * file in the transaction that creates it.
   */
  async copy(source: FileEntity, target: { bucket?: string; name?: string }): Promise<FileEntity> {
    if (source.status !== 'ready') throw new FileNotReadyError(source.status);
    const bucket = target.bucket
      ? await this.bucket(source.tenantId, target.bucket)
      : await this.buckets.findOneByOrFail({ id: source.bucketId! });
    checkFileFitsBucket(source, bucket);
    const name = target.name === undefined ? source.name : checkObjectName(target.name);
    const fileId = randomUUID();
    const key = storedKey(source.tenantId, fileId);
    const usage: UsageChange = {
      tenantId: source.tenantId,
      bucketId: bucket.id,
      bytes: source.size ?? 0,
      files: 1,
    };
    await UsageCounters.reserve(this.buckets.manager, usage);
    const disk = this.storage.disk(source.disk);
    let copied: FileEntity;
    try {
      await disk.copy(source.storageKey, key);
      copied = await this.webhooks.runAndDispatch(async (manager, record) => {
        await this.files.insert(
          manager,
          this.files.create({
            ...pickCopied(source),
            id: fileId,
            bucketId: bucket.id,
            name,
            status: 'ready',
            storageKey: key,
            idempotencyKey: null,
            expiresAt: retentionExpiry(bucket),
            deletedAt: null,
            purgedAt: null,
          }),
        );
        const file = await this.files.byIdOrFail(fileId, manager);
        await record(file.tenantId, 'file.copied', {
          ...(await this.views.one(file, manager)),
          copiedFrom: source.id,
        });
        return file;
      });
    } catch (error) {
      await this.removeQuietly(disk.name, key);
      await this.releaseQuietly(usage);
      throw error;
    }
    this.logger.log({ msg: 'file copied', fileId, from: source.id, tenantId: source.tenantId });
    return copied;
  }

  /** Forgets a resumable upload (terminated or expired); its partial bytes are the caller's to remove (UploadStore). */
  async abandon(fileId: string): Promise<boolean> {
    return this.transactions.run(async (manager) => {
      const removed = await this.files.removeUploading(manager, fileId);
      if (!removed) return false;
      if (removed.bucketId) {
        await UsageCounters.release(manager, {
          tenantId: removed.tenantId,
          bucketId: removed.bucketId,
          bytes: removed.size,
          files: 1,
        });
      }
      return true;
    });
  }

  /**
   * Streams a file to its `incoming/` key. Refuses a type outside the policy before
   * reading a byte and stops a file over the limit while it streams; on any failure
   * nothing is left on the disk.
   *
   * The quota: a body of unknown or large size counts as a file from its first byte and
   * its bytes are reserved ahead of them as they arrive (QuotaMeter), so a large upload
   * stops at the quota while it streams. A body whose whole length fits one reservation
   * step ({@link SMALL_BODY_BYTES}) can never stream more than that step: it is reserved
   * once, exactly, by the statement that records it (register), and refused there with
   * its bytes removed. Either way the counters never pass the quota; the small body saves
   * two tenant-row updates, each of which serialises the tenant's uploads on a commit.
   * (So a small body over the quota is refused once stored, not before; at most one step
   * is written, then removed.)
   */
  private async receive(
    tenantId: string,
    bucket: BucketEntity,
    file: IncomingFile,
    limits: IntakeLimits,
    bodyBytes: number | undefined,
    log: LogContext = {},
  ): Promise<Received> {
    const contentType = this.acceptedType(file.contentType, limits);
    const maxSizeBytes = this.maxSizeBytes(limits);
    const disk = this.storage.disk();
    const fileId = randomUUID();
    const key = incomingKey(tenantId, fileId);
    const small = bodyBytes !== undefined && bodyBytes <= SMALL_BODY_BYTES;
    const usage: UsageChange = { tenantId, bucketId: bucket.id, bytes: 0, files: small ? 0 : 1 };
    if (!small) await UsageCounters.reserve(this.buckets.manager, usage);
    const limit = new ByteLimit(maxSizeBytes);
    const meter = small
      ? undefined
      : new QuotaMeter((bytes) => UsageCounters.reserve(this.buckets.manager, { ...usage, bytes, files: 0 }));
    const stored = meter ?? limit;
    const sourceDone = new Promise<Error | undefined>((resolve) => {
      const done = (error: Error | null | undefined): void => resolve(error ?? undefined);
      if (meter) pipeline(file.body, limit, meter, done);
      else pipeInto(file.body, limit, done);
    });
    // What is held once any reservation in flight has landed: what to settle or give back.
    const reserved = async (): Promise<number> => (meter ? meter.settled() : 0);
    try {
      // The key names a fresh random id: nothing was ever written there.
      await disk.write(key, stored, { contentType, newKey: true });
    } catch (error) {
      meter?.destroy();
      limit.destroy();
      const sourceError = await sourceDone;
      await this.removeQuietly(disk.name, key, log);
      await this.releaseQuietly({ ...usage, bytes: await reserved() }, log);
      if (limit.bytes > maxSizeBytes) throw new FileTooLargeError(maxSizeBytes);
      if (sourceError instanceof QuotaExceededError) throw sourceError;
      if (sourceError && (sourceError as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        throw new UploadInterruptedError(sourceError);
      }
      throw error;
    }
    await sourceDone;
    if (limit.bytes === 0) {
      await this.removeQuietly(disk.name, key, log);
      await this.releaseQuietly({ ...usage, bytes: await reserved() }, log);
      throw new InvalidFileInputError('file', 'the file is empty');
    }
    return {
      fileId,
      tenantId,
      bucket,
      reservedBytes: await reserved(),
      reservedFiles: usage.files,
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
    log: LogContext = {},
  ): Promise<IntakeResult> {
    const file = this.files.create({
      id: received.fileId,
      tenantId: received.tenantId,
      bucketId: received.bucket.id,
      metadata: fields.metadata ?? {},
      name: fields.name ?? received.name,
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
      expiresAt: fields.expiresAt ?? retentionExpiry(received.bucket),
      deletedAt: null,
    });
    try {
      // The row and its usage at once: a small body's exact reservation (the quota checked
      // then), or a streamed one's settlement (what was reserved beyond its size given back).
      await this.files.insertReserving(
        file,
        held(received, received.size - received.reservedBytes, 1 - received.reservedFiles),
      );
      received.reservedBytes = received.size;
      received.reservedFiles = 1;
    } catch (error) {
      if (idempotencyKey && isIdempotencyConflict(error)) {
        await this.discard(received, log);
        const first = await this.findByIdempotencyKey(received.tenantId, idempotencyKey);
        if (first) return replay(first);
      }
      throw error;
    }
    this.metrics.completed.inc({ source: 'request' });
    this.metrics.bytes.inc({ source: 'request' }, received.size);
    withSyncLogContext(log, () =>
      this.logger.log({ msg: 'file uploaded', fileId: file.id, tenantId: file.tenantId, size: file.size }),
    );
    await this.enqueueProcessing(file, log);
    return { file, bucket: received.bucket, replayed: false };
  }

  private acceptedType(declared: string | undefined, limits: IntakeLimits | undefined): string {
    const contentType = mediaTypeEssence(declared) ?? DEFAULT_CONTENT_TYPE;
    const narrowed = [limits?.allowedTypes, limits?.bucketTypes].every(
      (allowedTypes) =>
        !allowedTypes?.length || isTypeAccepted(contentType, { allowedTypes, deniedTypes: [] }),
    );
    if (!narrowed || !isTypeAccepted(contentType, this.config)) {
      throw new UnsupportedFileTypeError(contentType);
    }
    return contentType;
  }

  /** The tenant's bucket of that name (`default` when none is named), or {@link BucketNotFoundError}. */
  private async bucket(tenantId: string, name = DEFAULT_BUCKET): Promise<BucketEntity> {
    const bucket = await this.bucketReader.findOne('tenant_id = $1 AND name = $2', [tenantId, name], {
      prepared: true,
    });
    if (!bucket) throw new BucketNotFoundError(name);
    return bucket;
  }

  /** Removes the bytes of an upload that was not recorded and gives back its reservation; once. */
  private async discard(received: Received, log: LogContext = {}): Promise<void> {
    if (received.discarded) return;
    received.discarded = true;
    await this.removeQuietly(received.disk, received.storageKey, log);
    await this.releaseQuietly(held(received, received.reservedBytes, received.reservedFiles), log);
  }

  /** Gives back a reservation of a refused upload; a failure is logged (the counters then overstate). */
  private async releaseQuietly(change: UsageChange, log: LogContext = {}): Promise<void> {
    try {
      await this.transactions.run((manager: EntityManager) => UsageCounters.release(manager, change));
    } catch (error) {
      withSyncLogContext(log, () =>
        this.logger.error({ err: error, ...change }, 'could not release the quota held by a refused upload'),
      );
    }
  }

  private maxSizeBytes(limits: IntakeLimits | undefined): number {
    return Math.min(limits?.maxSizeBytes ?? this.config.maxSizeBytes, this.config.maxSizeBytes);
  }

  private findByIdempotencyKey(tenantId: string, idempotencyKey: string): Promise<FileEntity | null> {
    return this.files.byIdempotencyKey(tenantId, idempotencyKey);
  }

  private async enqueueProcessing(file: FileEntity, log: LogContext = {}): Promise<void> {
    try {
      // The job takes the request id as it is added, before the first await.
      const enqueued = withSyncLogContext(log, () => this.fileJobs.enqueueProcess(file));
      await withTimeout(enqueued, ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      // The row is committed: requeueStuck enqueues it again once Redis answers.
      withSyncLogContext(log, () =>
        this.logger.warn(
          { err: error, fileId: file.id },
          'could not enqueue processing; requeueStuck will retry',
        ),
      );
    }
  }

  private async removeQuietly(disk: string, key: string, log: LogContext = {}): Promise<void> {
    try {
      await this.storage.disk(disk).remove(key);
    } catch (error) {
      if (!(error instanceof FileNotFoundError)) {
        withSyncLogContext(log, () =>
          this.logger.error({ err: error, disk, key }, 'could not remove the bytes of a refused upload'),
        );
      }
    }
  }
}

/** What a copy keeps of its source: bytes' facts, types, metadata, disk. */
function pickCopied(source: FileEntity): Partial<FileEntity> {
  return {
    tenantId: source.tenantId,
    size: source.size,
    receivedBytes: source.size,
    contentType: source.contentType,
    detectedType: source.detectedType,
    sha256: source.sha256,
    failureReason: null,
    disk: source.disk,
    metadata: source.metadata,
  };
}

/** The fields a request's own id adds to what its upload logs and enqueues; none without one. */
function logContextOf(requestId: string | undefined): LogContext {
  return requestId === undefined ? {} : { requestId };
}

/** A bucket's rules, narrowed further by an upload link's. */
function bucketLimits(bucket: BucketEntity, limits: IntakeLimits | undefined): IntakeLimits {
  const sizes = [bucket.maxFileSizeBytes, limits?.maxSizeBytes].filter(
    (size): size is number => typeof size === 'number',
  );
  return {
    maxSizeBytes: sizes.length > 0 ? Math.min(...sizes) : undefined,
    allowedTypes: limits?.allowedTypes,
    bucketTypes: bucket.allowedTypes,
  };
}

/** The expiry a bucket with `retentionDays` gives a file uploaded without one. */
function retentionExpiry(bucket: BucketEntity): Date | null {
  return bucket.retentionDays === null ? null : new Date(Date.now() + bucket.retentionDays * 86_400_000);
}

function held(received: Received, bytes: number, files = 1): UsageChange {
  return { tenantId: received.tenantId, bucketId: received.bucket.id, bytes, files };
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

/**
 * `source.pipe(target)`, ended as `pipeline(source, target, done)` ends: an error or an early
 * close of either destroys the other, and `done` is called once, with the error (or a
 * premature close) or once `target` has taken every byte. `pipeline` costs a small upload
 * an AbortController (and the DOMException it aborts with) and end-of-stream listeners on
 * both streams; those outlived young collections at 32 uploads in flight, a sixth of what
 * was promoted to the old space.
 */
function pipeInto(source: Readable, target: Writable, done: (error?: Error) => void): void {
  let called = false;
  const finish = (error?: Error): void => {
    if (called) return;
    called = true;
    // As pipeline does, every stream is destroyed on an error (a source that only emitted one too).
    if (error) for (const stream of [source, target]) if (!stream.destroyed) stream.destroy(error);
    done(error);
  };
  source.on('error', finish);
  source.on('close', () => {
    if (!source.readableEnded) finish(prematureClose());
  });
  target.on('error', finish);
  target.on('close', () => {
    if (!target.writableFinished) finish(prematureClose());
  });
  target.on('finish', () => finish());
  // A source that failed or closed before it was handed over (a truncated body) emits nothing more.
  if (source.destroyed) {
    process.nextTick(() => finish(source.errored ?? prematureClose()));
    return;
  }
  source.pipe(target);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
