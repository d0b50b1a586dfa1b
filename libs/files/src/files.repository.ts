import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type DeepPartial,
  type EntityManager,
  In,
  IsNull,
  LessThan,
  LessThanOrEqual,
  type Repository,
} from 'typeorm';
import { EntityReader, KeysetCursors, type Page, type PageRequest, poolRows } from '@depot/database';
import { FileEntity, type FileStatus } from './entities/file.entity';
import type { FileMetadata } from './file-metadata';
import type { FileViewSource } from './file.view';
import { RESERVATION, reservationParameters, type UsageChange, UsageCounters } from './usage/usage-counters';

/**
 * What readers see: a file not deleted and not past its `expiresAt` (the retention sweep
 * deletes and purges an expired file only on its next run, but it is gone for readers at once).
 */
const VISIBLE = `status <> 'deleted' AND (expires_at IS NULL OR expires_at > now())`;

/** Files a bucket holds: everything but deleted files, unfinished uploads included. */
const HELD = `status <> 'deleted'`;

/** What a list narrows to; every filter is served by an index (see FileEntity). */
export interface FileListFilter {
  /** Without it, deleted files and unfinished uploads are left out. */
  status?: Exclude<FileStatus, 'deleted'>;
  /** The bucket's name. */
  bucket?: string;
  /** Names that start with this (names may hold `/` as folders do). */
  prefix?: string;
  /** Names that contain this, ignoring case. */
  q?: string;
}

/**
 * A file as a list shows it (see {@link FilesRepository.list}), with its bucket; its
 * `createdAt` and `updatedAt` come as the contract's ISO strings, formatted by the database.
 */
export interface ListedFile extends FileViewSource {
  /** Null only for a deleted file whose bucket was deleted since. */
  bucket: { name: string; public: boolean } | null;
}

/** The columns of {@link ListedFile}: those of a file's view, and its bucket's id. */
const LISTED_COLUMNS = [
  'id',
  'bucket_id',
  'name',
  'size',
  'received_bytes',
  'content_type',
  'detected_type',
  'sha256',
  'status',
  'failure_reason',
  'metadata',
  'expires_at',
  'created_at',
  'updated_at',
].join(', ');

/** A time as Date.toISOString() writes it: UTC, to the millisecond (truncated, as a Date's is). */
const ISO_TIME = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * What the list answers of a `page` of {@link LISTED_COLUMNS}: the same, but `created_at` and
 * `updated_at` formatted by the database, so that no row's times are parsed into Dates
 * (postgres-date) only to be written out again (toISOString): most of a page's mapping cost.
 * Both are set by the server's clock, never before year 1 or past 9999, where the format holds.
 */
const ANSWERED_COLUMNS = [
  ...LISTED_COLUMNS.split(', ')
    .filter((column) => column !== 'created_at' && column !== 'updated_at')
    .map((column) => `page.${column}`),
  `to_char(page.created_at AT TIME ZONE 'UTC', ${ISO_TIME}) AS created_at`,
  `to_char(page.updated_at AT TIME ZONE 'UTC', ${ISO_TIME}) AS updated_at`,
].join(', ');

/** A row of the list: {@link LISTED_COLUMNS} as the pg driver parses them, and the bucket's. */
interface ListedRow {
  id: string | null;
  name: string;
  size: string | null;
  received_bytes: string | null;
  content_type: string;
  detected_type: string | null;
  sha256: string | null;
  status: FileStatus;
  failure_reason: string | null;
  metadata: FileMetadata | null;
  expires_at: Date | null;
  created_at: string;
  updated_at: string;
  bucket_name: string | null;
  bucket_public: boolean | null;
}

/** The row as FileEntity's columns would read it (bigint as a number, as their transformer does). */
function listedFile(row: ListedRow): ListedFile {
  return {
    id: row.id!,
    name: row.name,
    size: row.size === null ? null : Number(row.size),
    receivedBytes: row.received_bytes === null ? null : Number(row.received_bytes),
    contentType: row.content_type,
    detectedType: row.detected_type,
    sha256: row.sha256,
    status: row.status,
    failureReason: row.failure_reason,
    metadata: row.metadata ?? {},
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    bucket: row.bucket_name === null ? null : { name: row.bucket_name, public: row.bucket_public === true },
  };
}

/** What processing found, recorded on the row by {@link FilesRepository.settleMany}. */
export interface FileVerdict {
  status: 'ready' | 'failed';
  failureReason: string | null;
  sha256: string | null;
  size: number | null;
  detectedType: string | null;
  /** Where the bytes now are; unchanged when undefined. */
  storageKey?: string;
}

/** A file {@link FilesRepository.claimPendingMany} set processing, and what its bucket accepts. */
export interface ClaimedFile {
  file: FileEntity;
  /** The bucket's `allowedTypes`; empty when the file has no bucket or the bucket takes any type. */
  bucketAllowedTypes: readonly string[];
}

/** What a removed upload held, to give back to the usage counters. */
export interface RemovedUpload {
  tenantId: string;
  bucketId: string | null;
  size: number;
}

/** {@link FilesRepository.insertReserving}'s statement, built once. */
const INSERT_RESERVING = `WITH ${RESERVATION}
  INSERT INTO files (id, tenant_id, bucket_id, metadata, name, size, received_bytes, content_type,
                     status, disk, storage_key, idempotency_key, expires_at)
  SELECT $5::uuid, reserved.id, $4::uuid, $6::jsonb, $7::varchar, $8::bigint, $9::bigint, $10::varchar,
         $11::file_status, $12::varchar, $13::varchar, $14::varchar, $15::timestamptz
    FROM reserved
  RETURNING created_at, updated_at`;

/**
 * Every query on the `files` table. Reads on the api's per-request path (a file by id, the
 * list) are plain SQL through the lean {@link EntityReader}: there the query builder's
 * per-call cost is most of the request's (see bench/api-list.bench.ts). Methods that take an
 * `EntityManager` run inside the caller's transaction.
 */
@Injectable()
export class FilesRepository {
  private readonly reader: EntityReader<FileEntity>;

  constructor(
    @InjectRepository(FileEntity) private readonly files: Repository<FileEntity>,
    private readonly cursors: KeysetCursors,
  ) {
    this.reader = new EntityReader(files);
  }

  /** A file entity not yet stored. */
  create(fields: DeepPartial<FileEntity>): FileEntity {
    return this.files.create(fields);
  }

  async insert(manager: EntityManager, file: FileEntity): Promise<void> {
    await manager.getRepository(FileEntity).insert(file);
  }

  /**
   * Inserts a new file and applies `change` to the usage counters in one statement,
   * committed on its own: the row exists if and only if the reservation passed. Refused, it
   * throws {@link QuotaExceededError} and inserts nothing. One round trip, and the tenant's
   * row is locked only while the statement runs and commits (see {@link RESERVATION}).
   */
  async insertReserving(file: FileEntity, change: UsageChange): Promise<void> {
    // Straight through the pool and prepared once per connection, as every upload makes
    // this statement (see poolRows).
    const [row] = await poolRows<{ created_at: Date; updated_at: Date }>(
      this.files.manager.dataSource,
      INSERT_RESERVING,
      [
        ...reservationParameters(change),
        file.id,
        JSON.stringify(file.metadata),
        file.name,
        file.size,
        file.receivedBytes,
        file.contentType,
        file.status,
        file.disk,
        file.storageKey,
        file.idempotencyKey,
        file.expiresAt,
      ],
      { prepared: true },
    );
    if (!row) throw await UsageCounters.refusal(this.files.manager, change);
    file.createdAt = row.created_at;
    file.updatedAt = row.updated_at;
  }

  /** The file of that id, whatever its status or tenant; null if there is none. */
  byId(id: string, manager?: EntityManager): Promise<FileEntity | null> {
    return (manager?.getRepository(FileEntity) ?? this.files).findOneBy({ id });
  }

  /** The file of that id, or an EntityNotFoundError. */
  byIdOrFail(id: string, manager?: EntityManager): Promise<FileEntity> {
    return (manager?.getRepository(FileEntity) ?? this.files).findOneByOrFail({ id });
  }

  /** One of the tenant's files, or null (missing, deleted, expired, or another tenant's). */
  visible(tenantId: string, id: string): Promise<FileEntity | null> {
    return this.reader.findOne(`id = $1 AND tenant_id = $2 AND ${VISIBLE}`, [id, tenantId]);
  }

  /**
   * A tenant's visible files, newest first, by keyset on `(created_at, id)`, each with its
   * bucket's name and publicness, in one statement; null when `filter.bucket` names no bucket
   * of the tenant's. Filters narrow the same keyset: `bucket` through `ix_files_bucket_created`,
   * the others through the tenant indexes (`q` also through the trigram index when present).
   *
   * Plain SQL straight through the pool ({@link poolRows}), mapped straight to {@link ListedFile}s,
   * only the columns a view shows: this is the api's busiest list (bench/api-list.bench.ts),
   * where entity hydration, a second query for the buckets, the query builder and the query
   * runner were most of a request's cost.
   */
  async list(tenantId: string, filter: FileListFilter, page: PageRequest): Promise<Page<ListedFile> | null> {
    const conditions = ['tenant_id = $1', VISIBLE];
    const parameters: unknown[] = [tenantId];
    const add = (condition: (n: string) => string, value: unknown): void => {
      parameters.push(value);
      conditions.push(condition(`$${parameters.length}`));
    };
    if (filter.prefix) add((n) => `name LIKE ${n} ESCAPE '\\'`, `${escapeLike(filter.prefix)}%`);
    if (filter.q) add((n) => `lower(name) LIKE ${n} ESCAPE '\\'`, `%${escapeLike(filter.q.toLowerCase())}%`);
    if (filter.status) add((n) => `status = ${n}`, filter.status);
    // Unfinished resumable uploads are listed only when asked for (`status=uploading`).
    else conditions.push(`status <> 'uploading'`);
    const scope = { list: 'files', tenantId };
    if (page.cursor !== undefined) {
      // The position is the cursor's row itself, looked up among this tenant's rows only.
      add(
        (n) =>
          `(created_at, id) < (SELECT after.created_at, after.id FROM files after WHERE after.id = ${n} AND after.tenant_id = $1)`,
        this.cursors.decode(page.cursor, scope),
      );
    }
    const pageOf = (where: string[]): string =>
      `SELECT ${LISTED_COLUMNS} FROM files WHERE ${where.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT ${Math.trunc(page.limit) + 1}`;
    let sql: string;
    if (filter.bucket !== undefined) {
      // From the bucket: no row when there is no such bucket, one with a null file when it is empty.
      parameters.push(filter.bucket);
      sql = `SELECT ${ANSWERED_COLUMNS}, b.name AS bucket_name, b.public AS bucket_public
               FROM buckets b
               LEFT JOIN LATERAL (${pageOf([...conditions, 'bucket_id = b.id'])}) page ON true
              WHERE b.tenant_id = $1 AND b.name = $${parameters.length}
              ORDER BY page.created_at DESC, page.id DESC`;
    } else {
      sql = `SELECT ${ANSWERED_COLUMNS}, b.name AS bucket_name, b.public AS bucket_public
               FROM (${pageOf(conditions)}) page
               LEFT JOIN buckets b ON b.id = page.bucket_id
              ORDER BY page.created_at DESC, page.id DESC`;
    }
    const rows = await poolRows<ListedRow>(this.files.manager.dataSource, sql, parameters);
    if (filter.bucket !== undefined && rows.length === 0) return null;
    const files = rows.filter((row) => row.id !== null).map(listedFile);
    const items = files.slice(0, page.limit);
    return {
      items,
      nextCursor: files.length > page.limit ? this.cursors.encode(items[items.length - 1]!.id, scope) : null,
    };
  }

  /** One of the tenant's files as {@link list} gives it, with its bucket, in one statement; null as for {@link visible}. */
  async shown(tenantId: string, id: string): Promise<ListedFile | null> {
    const [row] = await poolRows<ListedRow>(
      this.files.manager.dataSource,
      `SELECT ${ANSWERED_COLUMNS}, b.name AS bucket_name, b.public AS bucket_public
         FROM (SELECT ${LISTED_COLUMNS} FROM files WHERE id = $1 AND tenant_id = $2 AND ${VISIBLE}) page
         LEFT JOIN buckets b ON b.id = page.bucket_id`,
      [id, tenantId],
    );
    return row ? listedFile(row) : null;
  }

  /** A ready, visible file of a public bucket, by id alone; null otherwise. */
  publicReady(id: string): Promise<FileEntity | null> {
    return this.reader.findOne(
      `id = $1 AND status = 'ready' AND ${VISIBLE} AND bucket_id IN (SELECT b.id FROM buckets b WHERE b.public)`,
      [id],
    );
  }

  /** The ready, visible file stored at that disk and key; null once it is deleted or expired. */
  readyAt(tenantId: string, id: string, disk: string, storageKey: string): Promise<FileEntity | null> {
    return this.reader.findOne(
      `id = $1 AND tenant_id = $2 AND status = 'ready' AND disk = $3 AND storage_key = $4 AND ${VISIBLE}`,
      [id, tenantId, disk, storageKey],
    );
  }

  /** The tenant's file uploaded with that Idempotency-Key, whatever its status; or null. */
  byIdempotencyKey(tenantId: string, idempotencyKey: string): Promise<FileEntity | null> {
    return this.reader.findOne('tenant_id = $1 AND idempotency_key = $2', [tenantId, idempotencyKey]);
  }

  /** The tenant's upload still receiving bytes, or null (unknown, finished, another tenant's). */
  uploading(tenantId: string, id: string): Promise<FileEntity | null> {
    return this.reader.findOne(`id = $1 AND tenant_id = $2 AND status = 'uploading'`, [id, tenantId]);
  }

  /**
   * Locks (`FOR UPDATE`) the tenant's file for a change in the caller's transaction: not
   * deleted, not an unfinished upload and, unless `expired` is allowed, not expired. Null if none.
   */
  lockForChange(
    manager: EntityManager,
    tenantId: string,
    id: string,
    { expired = false }: { expired?: boolean } = {},
  ): Promise<FileEntity | null> {
    const query = manager
      .getRepository(FileEntity)
      .createQueryBuilder('file')
      .setLock('pessimistic_write')
      .where('file.id = :id AND file.tenant_id = :tenantId', { id, tenantId })
      .andWhere(`file.status NOT IN ('deleted', 'uploading')`);
    if (!expired) query.andWhere('(file.expires_at IS NULL OR file.expires_at > now())');
    return query.getOne();
  }

  /** Applies `changes` to the file and returns it as it now is. */
  async change(manager: EntityManager, id: string, changes: Partial<FileEntity>): Promise<FileEntity> {
    if (Object.keys(changes).length > 0) await manager.getRepository(FileEntity).update({ id }, changes);
    return this.byIdOrFail(id, manager);
  }

  /**
   * Locks up to `limit` files past their `expiresAt` at `now` (not unfinished uploads, which
   * expire on their own: UploadExpiryService), skipping rows another transaction holds.
   */
  async lockExpired(manager: EntityManager, now: Date, limit: number): Promise<string[]> {
    const expired = await manager
      .getRepository(FileEntity)
      .createQueryBuilder('file')
      .select('file.id')
      .where('file.expires_at <= :now', { now })
      .andWhere(`file.status NOT IN ('deleted', 'uploading')`)
      .orderBy('file.expires_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    return expired.map((file) => file.id);
  }

  /** Marks the files deleted (now) and returns them as they now are. */
  async markDeleted(manager: EntityManager, ids: readonly string[]): Promise<FileEntity[]> {
    const repository = manager.getRepository(FileEntity);
    await repository.update({ id: In([...ids]) }, { status: 'deleted', deletedAt: () => 'now()' });
    return repository.findBy({ id: In([...ids]) });
  }

  /**
   * Sets the pending files of `ids` processing and returns them with the types each one's
   * bucket accepts (empty without a bucket), by id, in one statement. The others (not
   * pending, or not there) are left out.
   */
  async claimPendingMany(ids: readonly string[]): Promise<Map<string, ClaimedFile>> {
    const rows = await poolRows<Record<string, unknown> & { bucket_allowed_types: string[] | null }>(
      this.files.manager.dataSource,
      `UPDATE "files" SET "status" = 'processing', "updated_at" = now()
        WHERE "id" = ANY($1::uuid[]) AND "status" = 'pending'
        RETURNING ${this.reader.columns},
          (SELECT b."allowed_types" FROM "buckets" b WHERE b."id" = "files"."bucket_id") AS "bucket_allowed_types"`,
      [ids],
    );
    const claimed = new Map<string, ClaimedFile>();
    for (const row of rows) {
      const file = this.reader.hydrate(row);
      claimed.set(file.id, { file, bucketAllowedTypes: row.bucket_allowed_types ?? [] });
    }
    return claimed;
  }

  /** The files of `ids` that exist, whatever their status, by id; one statement. */
  async byIds(ids: readonly string[]): Promise<Map<string, FileEntity>> {
    const found = new Map<string, FileEntity>();
    if (ids.length === 0) return found;
    const rows = await poolRows<Record<string, unknown>>(
      this.files.manager.dataSource,
      `SELECT ${this.reader.columns} FROM "files" WHERE "id" = ANY($1::uuid[])`,
      [ids],
    );
    for (const row of rows) {
      const file = this.reader.hydrate(row);
      found.set(file.id, file);
    }
    return found;
  }

  /**
   * Records each verdict if its file is still pending or processing, in one statement
   * (`UPDATE ... FROM (VALUES ...)`). Returns the rows it
   * changed, by id; a file left out was deleted meanwhile or settled by another run. Atomic
   * on its own, or part of the caller's transaction when given its `manager`.
   */
  async settleMany(
    verdicts: ReadonlyArray<{ id: string; verdict: FileVerdict }>,
    manager?: EntityManager,
  ): Promise<Map<string, FileEntity>> {
    const settled = new Map<string, FileEntity>();
    if (verdicts.length === 0) return settled;
    const parameters: unknown[] = [];
    const values = verdicts.map(({ id, verdict }) => {
      const n = parameters.length;
      parameters.push(
        id,
        verdict.status,
        verdict.failureReason,
        verdict.sha256,
        verdict.size,
        verdict.detectedType,
        verdict.storageKey ?? null,
      );
      return `($${n + 1}::uuid, $${n + 2}::file_status, $${n + 3}::text, $${n + 4}::text, $${n + 5}::bigint, $${n + 6}::text, $${n + 7}::text)`;
    });
    // The VALUES columns are named apart from the table's so that RETURNING's stay unqualified.
    const sql = `UPDATE "files" SET "status" = v.v_status, "failure_reason" = v.v_reason, "sha256" = v.v_sha256,
          "size" = v.v_size, "detected_type" = v.v_type, "storage_key" = COALESCE(v.v_key, "files"."storage_key"),
          "updated_at" = now()
        FROM (VALUES ${values.join(', ')}) AS v(v_id, v_status, v_reason, v_sha256, v_size, v_type, v_key)
        WHERE "files"."id" = v.v_id AND "files"."status" IN ('pending', 'processing')
        RETURNING ${this.reader.columns}`;
    // Inside a transaction, on its runner; otherwise (the usual case: no endpoint takes the
    // event) straight through the pool.
    const rows = manager?.queryRunner
      ? ((await manager.query(sql, parameters)) as [Array<Record<string, unknown>>, number])[0]
      : await poolRows<Record<string, unknown>>(
          manager?.dataSource ?? this.files.manager.dataSource,
          sql,
          parameters,
        );
    for (const row of rows) {
      const file = this.reader.hydrate(row);
      settled.set(file.id, file);
    }
    return settled;
  }

  /** True when the file is deleted or gone. */
  async isDeleted(id: string): Promise<boolean> {
    const file = await this.files.findOne({ where: { id }, select: { id: true, status: true } });
    return !file || file.status === 'deleted';
  }

  /** Records that a deleted file's bytes are gone. */
  async markPurged(id: string): Promise<void> {
    await this.files.update({ id, status: 'deleted' }, { purgedAt: () => 'now()' });
  }

  /** Notes `offset` bytes received for an upload, if more than it had; true when it changed. */
  async recordProgress(id: string, offset: number): Promise<boolean> {
    const result = await this.files
      .createQueryBuilder()
      .update(FileEntity)
      .set({ receivedBytes: offset })
      .where(`id = :id AND status = 'uploading' AND coalesce(received_bytes, 0) < :offset`, { id, offset })
      .execute();
    return Boolean(result.affected);
  }

  /** Makes a complete upload `pending`, once: true for the call that did. */
  async completeUpload(id: string, size: number | null): Promise<boolean> {
    const result = await this.files
      .createQueryBuilder()
      .update(FileEntity)
      .set({ status: 'pending', receivedBytes: size })
      .where(`id = :id AND status = 'uploading'`, { id })
      .execute();
    return Boolean(result.affected);
  }

  /** Deletes the row of an unfinished upload; what it held, or null when it is not one. */
  async removeUploading(manager: EntityManager, id: string): Promise<RemovedUpload | null> {
    const [rows]: [{ tenant_id: string; bucket_id: string | null; size: string | null }[], number] =
      await manager.query(
        `DELETE FROM files WHERE id = $1 AND status = 'uploading' RETURNING tenant_id, bucket_id, size`,
        [id],
      );
    const row = rows[0];
    return row ? { tenantId: row.tenant_id, bucketId: row.bucket_id, size: Number(row.size ?? 0) } : null;
  }

  /** Files left pending or processing since before `cutoff`, oldest first. */
  stuck(
    cutoff: Date,
    limit: number,
  ): Promise<Pick<FileEntity, 'id' | 'tenantId' | 'status' | 'updatedAt'>[]> {
    return this.files.find({
      select: { id: true, tenantId: true, status: true, updatedAt: true },
      where: { status: In(['pending', 'processing']), updatedAt: LessThan(cutoff) },
      order: { updatedAt: 'ASC' },
      take: limit,
    });
  }

  /** Files deleted before `cutoff` whose bytes were never purged, oldest first. */
  unpurged(
    cutoff: Date,
    limit: number,
  ): Promise<Pick<FileEntity, 'id' | 'tenantId' | 'disk' | 'storageKey'>[]> {
    return this.files.find({
      select: { id: true, tenantId: true, disk: true, storageKey: true },
      where: { status: 'deleted', purgedAt: IsNull(), deletedAt: LessThan(cutoff) },
      order: { deletedAt: 'ASC' },
      take: limit,
    });
  }

  /** Ids of resumable uploads still receiving bytes that were created by `cutoff`, oldest first. */
  async abandonedUploads(cutoff: Date, limit: number): Promise<string[]> {
    const files = await this.files.find({
      select: { id: true },
      where: { status: 'uploading', createdAt: LessThanOrEqual(cutoff) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
    return files.map(({ id }) => id);
  }

  /** Which of `ids` have a row, whatever its status (deleted rows included). */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const files = await this.files.find({ select: { id: true }, where: { id: In([...ids]) } });
    return new Set(files.map(({ id }) => id));
  }

  /** Whether the bucket holds any file (see {@link HELD}), in the caller's transaction. */
  bucketHoldsFiles(manager: EntityManager, bucketId: string): Promise<boolean> {
    return manager
      .getRepository(FileEntity)
      .createQueryBuilder('file')
      .where(`file.bucket_id = :id AND file.${HELD}`, { id: bucketId })
      .getExists();
  }

  /** Up to `limit` of the files a bucket holds (see {@link HELD}). */
  heldInBucket(bucketId: string, limit: number): Promise<Pick<FileEntity, 'id' | 'status'>[]> {
    return this.files
      .createQueryBuilder('file')
      .select(['file.id', 'file.status'])
      .where(`file.bucket_id = :id AND file.${HELD}`, { id: bucketId })
      .limit(limit)
      .getMany();
  }
}

/** A LIKE pattern that matches `value` literally (`%`, `_` and `\\` escaped). */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
