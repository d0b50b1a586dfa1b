import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import { FilesConfig } from '@depot/config';
import { TransactionRunner } from '@depot/database';
import { BucketExistsError, BucketNotEmptyError, BucketNotFoundError } from '../file.errors';
import { FilesRepository } from '../files.repository';
import { FilesService } from '../files.service';
import { FileIntakeService } from '../intake/file-intake.service';
import { UploadStore } from '../intake/upload-store';
import { BucketEntity, DEFAULT_BUCKET } from './bucket.entity';
import { type BucketSettings, checkBucketName, checkBucketSettings } from './bucket-rules';

const UNIQUE_VIOLATION = '23505';
const FORCE_DELETE_BATCH = 100;

/**
 * A tenant's buckets: create, read, change, delete. Every query is scoped by tenant;
 * another tenant's bucket does not exist for the caller. `default` exists for every tenant
 * (created with it, by the database) and cannot be deleted.
 */
@Injectable()
export class BucketsService {
  constructor(
    @InjectRepository(BucketEntity) private readonly buckets: Repository<BucketEntity>,
    private readonly files: FilesRepository,
    private readonly config: FilesConfig,
    private readonly transactions: TransactionRunner,
    private readonly filesService: FilesService,
    private readonly intake: FileIntakeService,
    private readonly uploads: UploadStore,
  ) {}

  /** The tenant's buckets, by name. */
  list(tenantId: string): Promise<BucketEntity[]> {
    return this.buckets.find({ where: { tenantId }, order: { name: 'ASC' } });
  }

  /** The tenant's bucket of that name, or null. */
  find(tenantId: string, name: string): Promise<BucketEntity | null> {
    return this.buckets.findOneBy({ tenantId, name });
  }

  /** The tenant's bucket of that name, or {@link BucketNotFoundError}. */
  async resolve(tenantId: string, name: string): Promise<BucketEntity> {
    const bucket = await this.find(tenantId, name);
    if (!bucket) throw new BucketNotFoundError(name);
    return bucket;
  }

  async create(tenantId: string, name: string, settings: BucketSettings): Promise<BucketEntity> {
    checkBucketName(name);
    const checked = checkBucketSettings(settings, this.config.maxSizeBytes);
    const bucket = this.buckets.create({
      id: randomUUID(),
      tenantId,
      name,
      allowedTypes: checked.allowedTypes ?? [],
      maxFileSizeBytes: checked.maxFileSizeBytes ?? null,
      public: checked.public ?? false,
      cacheMaxAgeSeconds: checked.cacheMaxAgeSeconds ?? 3600,
      retentionDays: checked.retentionDays ?? null,
    });
    try {
      await this.buckets.insert(bucket);
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
      ) {
        throw new BucketExistsError(name);
      }
      throw error;
    }
    return this.buckets.findOneByOrFail({ id: bucket.id });
  }

  /** Changes the named settings; a rule applies to uploads from now on, not to files already kept. */
  async update(tenantId: string, name: string, settings: BucketSettings): Promise<BucketEntity> {
    const bucket = await this.resolve(tenantId, name);
    const checked = checkBucketSettings(settings, this.config.maxSizeBytes);
    const changes: Partial<BucketEntity> = {};
    if (checked.allowedTypes !== undefined) changes.allowedTypes = checked.allowedTypes;
    if (checked.maxFileSizeBytes !== undefined) changes.maxFileSizeBytes = checked.maxFileSizeBytes;
    if (checked.public !== undefined) changes.public = checked.public;
    if (checked.cacheMaxAgeSeconds !== undefined) changes.cacheMaxAgeSeconds = checked.cacheMaxAgeSeconds;
    if (checked.retentionDays !== undefined) changes.retentionDays = checked.retentionDays;
    if (Object.keys(changes).length > 0) await this.buckets.update({ id: bucket.id }, changes);
    return this.buckets.findOneByOrFail({ id: bucket.id });
  }

  /**
   * Deletes an empty bucket. With `force`, its files are deleted first through the normal
   * delete path (reads 404 at once, bytes purged by the worker, `file.deleted` webhooks).
   * Resolves to false when the tenant has no such bucket.
   */
  async delete(tenantId: string, name: string, force: boolean): Promise<boolean> {
    const bucket = await this.find(tenantId, name);
    if (!bucket) return false;
    if (bucket.name === DEFAULT_BUCKET) {
      throw new BucketNotEmptyError(name, 'the default bucket cannot be deleted');
    }
    for (;;) {
      if (force) await this.deleteFiles(bucket);
      const outcome = await this.transactions.run(async (manager) => {
        // Locks the bucket: an upload's insert into it waits (foreign key) until this commits.
        const locked = await manager
          .getRepository(BucketEntity)
          .createQueryBuilder('bucket')
          .setLock('pessimistic_write')
          .where('bucket.id = :id', { id: bucket.id })
          .getOne();
        if (!locked) return 'gone' as const;
        const held = await this.files.bucketHoldsFiles(manager, bucket.id);
        if (held) return 'held' as const;
        await manager.getRepository(BucketEntity).delete({ id: bucket.id });
        return 'deleted' as const;
      });
      if (outcome === 'gone') return false;
      if (outcome === 'deleted') return true;
      if (!force) throw new BucketNotEmptyError(name);
    }
  }

  private async deleteFiles(bucket: BucketEntity): Promise<void> {
    for (;;) {
      const batch = await this.files.heldInBucket(bucket.id, FORCE_DELETE_BATCH);
      if (batch.length === 0) return;
      let progressed = false;
      for (const { id, status } of batch) {
        if (status === 'uploading') {
          // An unfinished resumable upload is ended as tus termination ends it.
          await this.uploads.remove(id);
          if (await this.intake.abandon(id)) progressed = true;
        } else if (await this.filesService.delete(bucket.tenantId, id)) {
          progressed = true;
        }
      }
      if (!progressed) return;
    }
  }
}
