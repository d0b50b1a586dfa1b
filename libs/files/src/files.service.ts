import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { FilesConfig } from '@depot/config';
import type { Page, PageRequest } from '@depot/database';
import { type ByteRange, StorageService } from '@depot/storage';
import { WebhookEventsService } from '@depot/webhooks';
import { BucketEntity } from './buckets/bucket.entity';
import { checkFileFitsBucket } from './buckets/bucket-rules';
import type { FileEntity, FileStatus } from './entities/file.entity';
import { BucketNotFoundError, FileNotReadyError, InvalidFileInputError } from './file.errors';
import { type FileMetadata, parseMetadata } from './file-metadata';
import { checkObjectName, downloadName } from './file-name';
import { parseStoredKey } from './file.keys';
import type { FileView } from './file.view';
import { FileViewsService } from './file-views.service';
import { FileJobs } from './file-jobs';
import { FilesRepository } from './files.repository';
import { UsageCounters } from './usage/usage-counters';

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
 * The file lifecycle as the api reads and ends it: list and read files, sign and resolve
 * links, delete. (Files come in through {@link FileIntakeService}.) Every query is scoped
 * by tenant: another tenant's file is indistinguishable from a missing one.
 */
@Injectable()
export class FilesService {
  private readonly logger = new Logger(FilesService.name);

  constructor(
    private readonly files: FilesRepository,
    @InjectRepository(BucketEntity) private readonly buckets: Repository<BucketEntity>,
    private readonly config: FilesConfig,
    private readonly storage: StorageService,
    private readonly fileJobs: FileJobs,
    private readonly webhooks: WebhookEventsService,
    private readonly views: FileViewsService,
  ) {}

  /**
   * A tenant's files as the api shows them, newest first; deleted and expired ones are gone
   * from every read. `bucket` names the bucket; an unknown one is {@link BucketNotFoundError}.
   */
  async list(tenantId: string, request: ListFilesRequest): Promise<Page<FileView>> {
    const { bucket, status, prefix, q, limit, cursor } = request;
    const page = await this.files.list(tenantId, { bucket, status, prefix, q }, { limit, cursor });
    if (!page) throw new BucketNotFoundError(bucket!);
    return { items: this.views.listed(page.items), nextCursor: page.nextCursor };
  }

  /**
   * One of the tenant's files as the api shows it, read the way the list reads its pages
   * (one statement, its bucket joined); null as for {@link get}.
   */
  async view(tenantId: string, id: string): Promise<FileView | null> {
    const file = await this.files.shown(tenantId, id);
    return file ? this.views.listed([file])[0]! : null;
  }

  /** One of the tenant's files, or null (missing, deleted, expired, or another tenant's). */
  get(tenantId: string, id: string): Promise<FileEntity | null> {
    return this.files.visible(tenantId, id);
  }

  /**
   * A ready file of a public bucket, by id alone (no tenant: the id is the grant), with its
   * bucket's cache lifetime; null once the file is deleted or expired or its bucket private.
   */
  async findPublic(id: string): Promise<{ file: FileEntity; cacheMaxAgeSeconds: number } | null> {
    const file = await this.files.publicReady(id);
    if (!file) return null;
    const bucket = await this.buckets.findOne({
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
    return this.files.readyAt(ids.tenantId, ids.fileId, disk, key);
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
    return this.webhooks.runAndDispatch(async (manager, record) => {
      const file = await this.files.lockForChange(manager, tenantId, id);
      if (!file) return null;
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
      const updated = await this.files.change(manager, id, set);
      if (Object.keys(set).length > 0) {
        await record(tenantId, 'file.updated', async () => ({ ...(await this.views.one(updated, manager)) }));
      }
      return updated;
    });
  }

  /**
   * Marks the file deleted and records its `file.deleted` webhook deliveries in the same
   * transaction; then dispatches them and enqueues the purge of its bytes. Resolves to
   * false when the tenant has no such file.
   */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const deleted = await this.webhooks.runAndDispatch(async (manager, record) => {
      // Expired files too; an unfinished resumable upload is ended with DELETE /v1/uploads/{id} (tus termination).
      const file = await this.files.lockForChange(manager, tenantId, id, { expired: true });
      if (!file) return undefined;
      const [deleted] = await this.files.markDeleted(manager, [id]);
      if (file.bucketId) {
        await UsageCounters.release(manager, {
          tenantId,
          bucketId: file.bucketId,
          bytes: file.size ?? 0,
          files: 1,
        });
      }
      await record(tenantId, 'file.deleted', async () => ({ ...(await this.views.one(deleted!, manager)) }));
      return deleted!;
    });
    if (!deleted) return false;
    try {
      await this.fileJobs.enqueuePurge(deleted);
    } catch (error) {
      // The row says deleted and every read answers 404; requeueStuck enqueues the purge again (purged_at).
      this.logger.warn({ err: error, fileId: deleted.id }, 'could not enqueue the purge of a deleted file');
    }
    return true;
  }
}
