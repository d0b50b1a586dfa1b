import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TenantEntity } from '@depot/tenancy';

const bigintNumber = {
  to: (v: number | null) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/**
 * A one-use grant to upload one file into a tenant without its API key. Only a hash of
 * the link's token is kept: the token itself is shown once, in the link's URL.
 */
@Entity({ name: 'upload_links' })
@Index('ux_upload_links_token_hash', ['tokenHash'], { unique: true })
export class UploadLinkEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_upload_links_tenant' })
  tenant?: TenantEntity;

  /** Hex SHA-256 of the token. */
  @Column('char', { length: 64 })
  tokenHash!: string;

  /** The file's name, instead of the one the uploader sends. */
  @Column('varchar', { length: 255, nullable: true })
  fileName!: string | null;

  @Column('bigint', { nullable: true, transformer: bigintNumber })
  maxSizeBytes!: number | null;

  /** The bucket the file goes into (its rules apply too); null: `default`. */
  @Column('varchar', { length: 63, nullable: true })
  bucket!: string | null;

  /** Entries `type/subtype` or `type/*`; empty: whatever `files.allowedTypes` accepts. */
  @Column('text', { array: true, default: () => "'{}'" })
  allowedTypes!: string[];

  /** The file's `expiresAt`: a fixed time, or seconds after the upload. */
  @Column('timestamptz', { nullable: true })
  fileExpiresAt!: Date | null;

  @Column('integer', { nullable: true })
  fileExpiresInSeconds!: number | null;

  @Column('timestamptz')
  expiresAt!: Date;

  /** Set when an upload claims the link; cleared again if that upload is refused. */
  @Column('timestamptz', { nullable: true })
  usedAt!: Date | null;

  @Column('uuid', { nullable: true })
  fileId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
