import { randomUUID } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import { FilesConfig } from '@depot/config';
import {
  EntityReader,
  KeysetCursors,
  newestFirst,
  type Page,
  type PageRequest,
  TransactionRunner,
} from '@depot/database';
import { JobQueue } from '@depot/queue';
import { type ByteRange, FileNotFoundError, StorageService } from '@depot/storage';
import { WebhookEvents } from '@depot/webhooks';
import { ByteLimit } from './byte-limit';
import { DEFAULT_CONTENT_TYPE, isTypeAccepted, mediaTypeEssence } from './content-type';
import { FileEntity, type FileStatus } from './entities/file.entity';
import { sanitizeFileName } from './file-name';
import {
  FileNotReadyError,
  FileTooLargeError,
  IdempotencyKeyReusedError,
  InvalidFileInputError,
  UnsupportedFileTypeError,
  UploadInterruptedError,
} from './file.errors';
import { incomingKey, parseStoredKey } from './file.keys';
import { toFileView } from './file.view';

/** An upload as it arrives: a name and type declared by the client, and a stream of bytes. */
export interface IncomingUpload {
  fileName: string | undefined;
  contentType: string | undefined;
  body: Readable;
}

/** Bytes received and stored under `incoming/`, not yet recorded: {@link FilesService.register} or {@link FilesService.discard} it. */
export interface ReceivedUpload {
  fileId: string;
  tenantId: string;
  disk: string;
  storageKey: string;
  name: string;
  contentType: string;
  size: number;
}

export interface RegisterOptions {
  expiresAt?: Date;
  idempotencyKey?: string;
}

export interface RegisteredUpload {
  file: FileEntity;
  /** True when an earlier upload with the same Idempotency-Key is being answered again. */
  replayed: boolean;
}

export interface ListFilesRequest extends PageRequest {
  status?: Exclude<FileStatus, 'deleted'>;
}

export interface FileLink {
  url: string;
  expiresAt: Date;
}

/** How long an upload waits for Redis before answering anyway; `requeueStuck` enqueues what is missed. */
const ENQUEUE_TIMEOUT_MS = 2000;
/**
 * A file past its `expiresAt` is gone for readers at once, though the retention sweep
 * deletes and purges it only on its next run.
 */
const NOT_EXPIRED = '(expires_at IS NULL OR expires_at > now())';
const UNIQUE_VIOLATION = '23505';

/**
 * The file lifecycle as the api drives it: receive an upload into storage, record it and
 * enqueue its processing, list and read files, sign links, delete. Every query is scoped
 * by tenant: another tenant's file is indistinguishable from a missing one.
 */
@Injectable()
export class FilesService {
  private readonly logger = new Logger(FilesService.name);
  /** For the reads every file request makes: the lean reader, not the query builder. */
  private readonly reader: EntityReader<FileEntity>;

  constructor(
    @InjectRepository(FileEntity) private readonly files: Repository<FileEntity>,
    private readonly config: FilesConfig,
    private readonly storage: StorageService,
    private readonly jobs: JobQueue,
    private readonly transactions: TransactionRunner,
    private readonly webhooks: WebhookEvents,
    private readonly cursors: KeysetCursors,
  ) {
    this.reader = new EntityReader(files);
  }

  /**
   * Streams an upload to `tenants/{tenantId}/incoming/{fileId}` on the default disk.
   * Refuses a type outside the policy before reading a byte, and stops a file over
   * `files.maxSizeBytes` while it streams. On any failure nothing is left on the disk.
   */
  async receive(tenantId: string, upload: IncomingUpload): Promise<ReceivedUpload> {
    const contentType = mediaTypeEssence(upload.contentType) ?? DEFAULT_CONTENT_TYPE;
    if (!isTypeAccepted(contentType, this.config)) throw new UnsupportedFileTypeError(contentType);

    const disk = this.storage.disk();
    const fileId = randomUUID();
    const key = incomingKey(tenantId, fileId);
    const limit = new ByteLimit(this.config.maxSizeBytes);
    const sourceDone = new Promise<Error | undefined>((resolve) =>
      pipeline(upload.body, limit, (error) => resolve(error ?? undefined)),
    );
    try {
      await disk.write(key, limit, { contentType });
    } catch (error) {
      limit.destroy();
      const sourceError = await sourceDone;
      await this.removeQuietly(disk.name, key);
      if (limit.bytes > this.config.maxSizeBytes) throw new FileTooLargeError(this.config.maxSizeBytes);
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
      name: sanitizeFileName(upload.fileName),
      contentType,
      size: limit.bytes,
    };
  }

  /**
   * Records a received upload as a `pending` file and enqueues its processing (job id =
   * file id, so a repeat enqueue is harmless). With an Idempotency-Key already used by
   * this tenant, the new bytes are dropped and the first upload's file is returned.
   */
  async register(received: ReceivedUpload, options: RegisterOptions = {}): Promise<RegisteredUpload> {
    const file = this.files.create({
      id: received.fileId,
      tenantId: received.tenantId,
      name: received.name,
      size: received.size,
      contentType: received.contentType,
      detectedType: null,
      sha256: null,
      status: 'pending',
      failureReason: null,
      disk: received.disk,
      storageKey: received.storageKey,
      idempotencyKey: options.idempotencyKey ?? null,
      expiresAt: options.expiresAt ?? null,
      deletedAt: null,
    });
    try {
      await this.files.insert(file);
    } catch (error) {
      await this.discard(received);
      if (options.idempotencyKey && isIdempotencyConflict(error)) {
        // Another request with the same key won the race: answer as it did.
        const first = await this.findByIdempotencyKey(received.tenantId, options.idempotencyKey);
        if (first) return replay(first);
      }
      throw error;
    }
    this.logger.log({ msg: 'file uploaded', fileId: file.id, tenantId: file.tenantId, size: file.size });
    await this.enqueueProcessing(file);
    return { file, replayed: false };
  }

  /** Removes the bytes of an upload that will not be registered. */
  async discard(received: ReceivedUpload): Promise<void> {
    await this.removeQuietly(received.disk, received.storageKey);
  }

  /**
   * The file an earlier upload with this Idempotency-Key created, to answer a repeat
   * without reading its body; undefined when the key is new.
   */
  async replayIdempotent(tenantId: string, idempotencyKey: string): Promise<RegisteredUpload | undefined> {
    const first = await this.findByIdempotencyKey(tenantId, idempotencyKey);
    return first ? replay(first) : undefined;
  }

  /** A tenant's files, newest first; deleted and expired ones are gone from every read. */
  list(tenantId: string, request: ListFilesRequest): Promise<Page<FileEntity>> {
    const query = this.files.createQueryBuilder('file').where('file.tenant_id = :tenantId', { tenantId });
    if (request.status) query.andWhere('file.status = :status', { status: request.status });
    else query.andWhere(`file.status <> 'deleted'`);
    query.andWhere(`(file.expires_at IS NULL OR file.expires_at > now())`);
    return newestFirst(query, request, this.cursors, { tenantId });
  }

  /** One of the tenant's files, or null (missing, deleted, expired, or another tenant's). */
  get(tenantId: string, id: string): Promise<FileEntity | null> {
    return this.reader.findOne(`id = $1 AND tenant_id = $2 AND status <> 'deleted' AND ${NOT_EXPIRED}`, [
      id,
      tenantId,
    ]);
  }

  /** A stream of a ready file's bytes, or of a range of them. */
  async openContent(file: FileEntity, range?: ByteRange): Promise<Readable> {
    if (file.status !== 'ready') throw new FileNotReadyError(file.status);
    return this.storage.disk(file.disk).readStream(file.storageKey, { range });
  }

  /** A URL that downloads a ready file without credentials until it expires. */
  async createLink(
    file: FileEntity,
    expiresInSeconds = this.config.linkTtlSeconds.default,
  ): Promise<FileLink> {
    if (file.status !== 'ready') throw new FileNotReadyError(file.status);
    const max = this.config.linkTtlSeconds.max;
    if (expiresInSeconds > max) {
      throw new InvalidFileInputError('expiresInSeconds', `must not be greater than ${max}`);
    }
    const url = await this.storage.disk(file.disk).signedUrl(file.storageKey, {
      expiresIn: expiresInSeconds,
      downloadName: file.name,
      contentType: file.contentType,
    });
    return { url, expiresAt: new Date(Date.now() + expiresInSeconds * 1000) };
  }

  /**
   * The ready file a signed link names (by disk and key), or null once it has been
   * deleted: a link stops working with its file, not only when it expires.
   */
  async findByStoredObject(disk: string, key: string): Promise<FileEntity | null> {
    const ids = parseStoredKey(key);
    if (!ids) return null;
    return this.reader.findOne(
      `id = $1 AND tenant_id = $2 AND status = 'ready' AND disk = $3 AND storage_key = $4 AND ${NOT_EXPIRED}`,
      [ids.fileId, ids.tenantId, disk, key],
    );
  }

  /**
   * Marks the file deleted and records its `file.deleted` webhook deliveries in the same
   * transaction; then dispatches them and enqueues the purge of its bytes. Resolves to
   * false when the tenant has no such file.
   */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const outcome = await this.transactions.run(async (manager) => {
      const repository = manager.getRepository(FileEntity);
      const file = await repository
        .createQueryBuilder('file')
        .setLock('pessimistic_write')
        .where('file.id = :id AND file.tenant_id = :tenantId', { id, tenantId })
        .andWhere(`file.status <> 'deleted'`)
        .getOne();
      if (!file) return undefined;
      await repository.update({ id }, { status: 'deleted', deletedAt: () => 'now()' });
      const deleted = await repository.findOneByOrFail({ id });
      const deliveryIds = await this.webhooks.record(manager, tenantId, 'file.deleted', {
        ...toFileView(deleted),
      });
      return { file: deleted, deliveryIds };
    });
    if (!outcome) return false;
    const { file, deliveryIds } = outcome;
    await Promise.all([
      this.webhooks.dispatch(deliveryIds),
      this.jobs.add(
        'files',
        'purge',
        { fileId: file.id, tenantId: file.tenantId, disk: file.disk, storageKey: file.storageKey },
        { jobId: `purge-${file.id}` },
      ),
    ]).catch((error: unknown) =>
      // The row says deleted and every read answers 404; requeueStuck enqueues the purge again (purged_at).
      this.logger.warn(
        { err: error, fileId: file.id },
        'could not enqueue the purge or webhooks of a deleted file',
      ),
    );
    return true;
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

function replay(first: FileEntity): RegisteredUpload {
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
