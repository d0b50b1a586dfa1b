import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { TenantEntity } from '@depot/tenancy';
import { BucketEntity } from '../buckets/bucket.entity';

/** `uploading`: a resumable upload whose last byte has not arrived yet. */
export const FILE_STATUSES = ['uploading', 'pending', 'processing', 'ready', 'failed', 'deleted'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

@Entity({ name: 'files' })
@Index('ix_files_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('ix_files_tenant_status_created', ['tenantId', 'status', 'createdAt', 'id'])
// Listing one bucket (`?bucket=`, with or without `prefix`/`q`/`status`), newest first.
@Index('ix_files_bucket_created', ['bucketId', 'createdAt', 'id'])
// `?q=`: a case-insensitive substring of the name (pg_trgm, created by the migration when the
// server has the extension; without it `q` scans the tenant's or bucket's rows).
@Index('ix_files_name_trgm', { synchronize: false })
@Index('ix_files_status_updated', ['status', 'updatedAt'])
@Index('ix_files_unpurged', ['deletedAt'], { where: `status = 'deleted' AND purged_at IS NULL` })
@Index('ix_files_expires', ['expiresAt'], { where: `expires_at IS NOT NULL AND status <> 'deleted'` })
@Index('ix_files_uploading_created', ['createdAt'], { where: `status = 'uploading'` })
@Index('ux_files_tenant_idempotency_key', ['tenantId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
export class FileEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_files_tenant' })
  tenant?: TenantEntity;

  /**
   * The bucket the file is in. Null only for deleted files whose bucket was deleted since
   * (`DELETE /v1/buckets/{name}?force=true`); every other file has one.
   */
  @Column('uuid', { nullable: true })
  bucketId!: string | null;

  @ManyToOne(() => BucketEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'bucket_id', foreignKeyConstraintName: 'fk_files_bucket' })
  bucket?: BucketEntity;

  /** The client's own string values about the file (at most 64 keys, 8 KiB as JSON). */
  @Column('jsonb', { default: () => "'{}'" })
  metadata!: Record<string, string>;

  /** The client's file name, as uploaded. */
  @Column('varchar', { length: 255 })
  name!: string;

  /** Bytes received; confirmed by the worker. */
  @Column('bigint', {
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  size!: number | null;

  /** Bytes of a resumable upload received so far; equal to `size` once it is complete. */
  @Column('bigint', {
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  receivedBytes!: number | null;

  /** The type the client declared. */
  @Column('varchar', { length: 255 })
  contentType!: string;

  /** The type sniffed from the bytes by the worker. */
  @Column('varchar', { length: 255, nullable: true })
  detectedType!: string | null;

  @Column('char', { length: 64, nullable: true })
  sha256!: string | null;

  @Column({ type: 'enum', enum: FILE_STATUSES, enumName: 'file_status', default: 'pending' })
  status!: FileStatus;

  @Column('text', { nullable: true })
  failureReason!: string | null;

  /** The disk the object lives on, and its key there. */
  @Column('varchar', { length: 64 })
  disk!: string;

  @Column('varchar', { length: 1024 })
  storageKey!: string;

  @Column('varchar', { length: 255, nullable: true })
  idempotencyKey!: string | null;

  @Column('timestamptz', { nullable: true })
  expiresAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column('timestamptz', { nullable: true })
  deletedAt!: Date | null;

  /** When the worker removed a deleted file's bytes; requeueStuck retries purges left unset. */
  @Column('timestamptz', { nullable: true })
  purgedAt!: Date | null;
}
