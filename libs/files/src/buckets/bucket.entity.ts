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

const bigintNumber = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** Every tenant has this bucket (created with the tenant); uploads that name none go there. */
export const DEFAULT_BUCKET = 'default';

/**
 * A tenant's named set of files with its own rules: which types it takes, how large a file
 * may be, whether its files are served publicly, and a default expiry. It also carries its
 * share of the tenant's usage counters.
 */
@Entity({ name: 'buckets' })
@Index('ux_buckets_tenant_name', ['tenantId', 'name'], { unique: true })
export class BucketEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_buckets_tenant' })
  tenant?: TenantEntity;

  /** Lowercase `[a-z0-9-]`, 2 to 63 characters, unique per tenant. */
  @Column('varchar', { length: 63 })
  name!: string;

  /** Entries `type/subtype` or `type/*`; empty: whatever `files.allowedTypes` accepts. */
  @Column('text', { array: true, default: () => "'{}'" })
  allowedTypes!: string[];

  /** At most `files.maxSizeBytes`; null: that limit. */
  @Column('bigint', { nullable: true, transformer: bigintNumber })
  maxFileSizeBytes!: number | null;

  /** Files of a public bucket are served without a key at their `publicUrl`. */
  @Column('boolean', { default: false })
  public!: boolean;

  /** `Cache-Control: public, max-age=` of public reads. */
  @Column('integer', { default: 3600 })
  cacheMaxAgeSeconds!: number;

  /** A file uploaded without `expiresAt` expires this many days after its upload; null: kept. */
  @Column('integer', { nullable: true })
  retentionDays!: number | null;

  /** The bucket's share of the tenant's usage (see TenantEntity.usedBytes). */
  @Column('bigint', { default: 0, transformer: bigintNumber })
  usedBytes!: number;

  @Column('bigint', { default: 0, transformer: bigintNumber })
  usedFiles!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
