import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { FilesConfig } from '@depot/config';
import { EntityReader, KeysetCursors, type Page, type PageRequest, TransactionRunner } from '@depot/database';
import { JobQueue } from '@depot/queue';
import { type ByteRange, StorageService } from '@depot/storage';
import { WebhookEvents } from '@depot/webhooks';
import { BucketEntity } from './buckets/bucket.entity';
import { checkFileFitsBucket } from './buckets/bucket-rules';
import { FileEntity, type FileStatus } from './entities/file.entity';
import { BucketNotFoundError, FileNotReadyError, InvalidFileInputError } from './file.errors';
import { type FileMetadata, parseMetadata } from './file-metadata';
import { checkObjectName, downloadName } from './file-name';
import { parseStoredKey } from './file.keys';
import { FileViews } from './file-views.service';
import { UsageCounters } from './usage';

/** What `PATCH /v1/files/{id}` may change; only what is given changes. */
export interface FileChanges {
  name?: string;
  /** Moves the file: the new bucket's rules apply to the file as it is. */
  bucket?: string;
  /** Replaces the metadata as a whole. */
  metadata?: FileMetadata;
}

export interface ListFilesRequest extends PageRequest {
  status?: Exclude<FileStatus, 'deleted'>;
  /** Only files of this bucket (by name); an unknown bucket is {@link BucketNotFoundError}. */
  bucket?: string;
  /** Only files whose name starts with this (names may hold `/` as folders do). */
  prefix?: string;
  /** Only files whose name contains this, ignoring case. */
  q?: string;
}

/** A download link's file, its bytes, and the response headers the link chose. */
export interface DownloadGrant {
  file: FileEntity;
  open(range?: ByteRange): Promise<Readable>;
  downloadName?: string;
  contentType?: string;
}

export interface FileLink {
  url: string;
  expiresAt: Date;
}

/**
 * A file past its `expiresAt` is gone for readers at once, though the retention sweep
 * deletes and purges it only on its next run.
 */
const NOT_EXPIRED = '(expires_at IS NULL OR expires_at > now())';

/**
 * The file lifecycle as the api reads and ends it: list and read files, sign and resolve
 * links, delete. (Files come in through {@link FileIntake}.) Every query is scoped
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
    private readonly views: FileViews,
  ) {
    this.reader = new EntityReader(files);
  }

  /**
   * A tenant's files, newest first; deleted and expired ones are gone from every read.
   * Filters narrow the same keyset: `bucket` through `ix_files_bucket_created`, the
   * others through the tenant indexes (`q` also through the trigram index when present).
   */
  async list(tenantId: string, request: ListFilesRequest): Promise<Page<FileEntity>> {
    // Plain SQL through the lean reader: this is the api's busiest list (see bench (j)).
    const conditions = ['tenant_id = $1'];
    const parameters: unknown[] = [tenantId];
    const add = (condition: (n: string) => string, value: unknown): void => {
      parameters.push(value);
      conditions.push(condition(`$${parameters.length}`));
    };
    if (request.bucket !== undefined) {
      const [bucket] = await this.files.query<{ id: string }[]>(
        'SELECT id FROM buckets WHERE tenant_id = $1 AND name = $2',
        [tenantId, request.bucket],
      );
      if (!bucket) throw new BucketNotFoundError(request.bucket);
      add((n) => `bucket_id = ${n}`, bucket.id);
    }
    if (request.prefix) add((n) => `name LIKE ${n} ESCAPE '\\'`, `${escapeLike(request.prefix)}%`);
    if (request.q)
      add((n) => `lower(name) LIKE ${n} ESCAPE '\\'`, `%${escapeLike(request.q.toLowerCase())}%`);
    if (request.status) add((n) => `status = ${n}`, request.status);
    // Unfinished resumable uploads are listed only when asked for (`status=uploading`).
    else conditions.push(`status NOT IN ('deleted', 'uploading')`);
    conditions.push(NOT_EXPIRED);
    const scope = { list: 'files', tenantId };
    if (request.cursor !== undefined) {
      // The position is the cursor's row itself, looked up among this tenant's rows only.
      add(
        (n) =>
          `(created_at, id) < (SELECT after.created_at, after.id FROM files after WHERE after.id = ${n} AND after.tenant_id = $1)`,
        this.cursors.decode(request.cursor, scope),
      );
    }
    const rows = await this.reader.findMany(
      conditions.join(' AND '),
      parameters,
      'created_at DESC, id DESC',
      request.limit + 1,
    );
    const items = rows.slice(0, request.limit);
    return {
      items,
      nextCursor:
        rows.length > request.limit ? this.cursors.encode(items[items.length - 1]!.id, scope) : null,
    };
  }

  /** One of the tenant's files, or null (missing, deleted, expired, or another tenant's). */
  get(tenantId: string, id: string): Promise<FileEntity | null> {
    return this.reader.findOne(`id = $1 AND tenant_id = $2 AND status <> 'deleted' AND ${NOT_EXPIRED}`, [
      id,
      tenantId,
    ]);
  }

  /**
   * A ready file of a public bucket, by id alone (no tenant: the id is the grant), with its
   * bucket's cache lifetime; null once the file is deleted or expired or its bucket private.
   */
  async findPublic(id: string): Promise<{ file: FileEntity; cacheMaxAgeSeconds: number } | null> {
    const file = await this.reader.findOne(
      `id = $1 AND status = 'ready' AND ${NOT_EXPIRED} AND bucket_id IN (SELECT b.id FROM buckets b WHERE b.public)`,
      [id],
    );
    if (!file) return null;
    const bucket = await this.files.manager.getRepository(BucketEntity).findOne({
      select: { id: true, cacheMaxAgeSeconds: true, public: true },
      where: { id: file.bucketId! },
    });
    return bucket?.public ? { file, cacheMaxAgeSeconds: bucket.cacheMaxAgeSeconds } : null;
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
      downloadName: downloadName(file.name),
      contentType: file.contentType,
    });
    return { url, expiresAt: new Date(Date.now() + expiresInSeconds * 1000) };
  }

  /**
   * What a `/v1/downloads/<token>` link serves: the ready file it names and a way to open
   * its bytes, with the link's header overrides. Throws {@link InvalidLinkError} or
   * {@link ExpiredLinkError}; resolves to undefined once the file is deleted.
   */
  async resolveDownload(token: string): Promise<DownloadGrant | undefined> {
    const { link, disk } = this.storage.resolveLink(token);
    const file = await this.findByStoredObject(disk.name, link.key);
    if (!file) return undefined;
    return {
      file,
      open: (range) => disk.readStream(link.key, { range }),
      downloadName: link.downloadName,
      contentType: link.contentType,
    };
  }

  /**
   * The ready file a signed link names (by disk and key), or null once it has been
   * deleted: a link stops working with its file, not only when it expires.
   */
  private async findByStoredObject(disk: string, key: string): Promise<FileEntity | null> {
    const ids = parseStoredKey(key);
    if (!ids) return null;
    return this.reader.findOne(
      `id = $1 AND tenant_id = $2 AND status = 'ready' AND disk = $3 AND storage_key = $4 AND ${NOT_EXPIRED}`,
      [ids.fileId, ids.tenantId, disk, key],
    );
  }

  /**
   * Renames, moves or re-labels a file (not an unfinished upload), and records
   * `file.updated` in the same transaction. A move checks the file against the new bucket's
   * rules as it is (types, size: 415 / 413) and moves its share of the usage counters.
   * Resolves to null when the tenant has no such file.
   */
  async update(tenantId: string, id: string, changes: FileChanges): Promise<FileEntity | null> {
    const name = changes.name === undefined ? undefined : checkObjectName(changes.name);
    const metadata = changes.metadata === undefined ? undefined : parseMetadata(changes.metadata);
    const outcome = await this.transactions.run(async (manager) => {
      const repository = manager.getRepository(FileEntity);
      const file = await repository
        .createQueryBuilder('file')
        .setLock('pessimistic_write')
        .where('file.id = :id AND file.tenant_id = :tenantId', { id, tenantId })
        .andWhere(
          `file.status NOT IN ('deleted', 'uploading') AND ${NOT_EXPIRED.replace(/expires_at/g, 'file.expires_at')}`,
        )
        .getOne();
      if (!file) return undefined;
      const set: Partial<FileEntity> = {};
      if (name !== undefined) set.name = name;
      if (metadata !== undefined) set.metadata = metadata;
      if (changes.bucket !== undefined) {
        const bucket = await manager
          .getRepository(BucketEntity)
          .findOneBy({ tenantId, name: changes.bucket });
        if (!bucket) throw new BucketNotFoundError(changes.bucket);
        if (bucket.id !== file.bucketId) {
          checkFileFitsBucket(file, bucket);
          set.bucketId = bucket.id;
          await UsageCounters.moveBetweenBuckets(manager, {
            fromBucketId: file.bucketId!,
            toBucketId: bucket.id,
            bytes: file.size ?? 0,
            files: 1,
          });
        }
      }
      if (Object.keys(set).length > 0) await repository.update({ id }, set);
      const updated = await repository.findOneByOrFail({ id });
      const deliveryIds =
        Object.keys(set).length > 0
          ? await this.webhooks.record(manager, tenantId, 'file.updated', {
              ...(await this.views.one(updated, manager)),
            })
          : [];
      return { file: updated, deliveryIds };
    });
    if (!outcome) return null;
    await this.webhooks.dispatch(outcome.deliveryIds).catch((error: unknown) =>
      // Committed with the change; requeueStuck dispatches pending deliveries again.
      this.logger.warn({ err: error, fileId: id }, 'could not dispatch file.updated deliveries'),
    );
    return outcome.file;
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
        // An unfinished resumable upload is ended with DELETE /v1/uploads/{id} (tus termination).
        .andWhere(`file.status NOT IN ('deleted', 'uploading')`)
        .getOne();
      if (!file) return undefined;
      await repository.update({ id }, { status: 'deleted', deletedAt: () => 'now()' });
      if (file.bucketId) {
        await UsageCounters.release(manager, {
          tenantId,
          bucketId: file.bucketId,
          bytes: file.size ?? 0,
          files: 1,
        });
      }
      const deleted = await repository.findOneByOrFail({ id });
      const deliveryIds = await this.webhooks.record(manager, tenantId, 'file.deleted', {
        ...(await this.views.one(deleted, manager)),
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
}

/** A LIKE pattern that matches `value` literally (`%`, `_` and `\\` escaped). */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
