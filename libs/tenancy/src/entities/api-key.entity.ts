import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TenantEntity } from './tenant.entity';

export const API_KEY_SCOPES = ['files:read', 'files:write', 'webhooks:manage'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A tenant's API key. Only a hash of the secret is kept; `prefix` is the visible, unique handle. */
@Entity({ name: 'api_keys' })
@Index('ix_api_keys_tenant', ['tenantId', 'createdAt'])
export class ApiKeyEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_api_keys_tenant' })
  tenant?: TenantEntity;

  @Column('varchar', { length: 200 })
  name!: string;

  @Index('ux_api_keys_prefix', { unique: true })
  @Column('varchar', { length: 32 })
  prefix!: string;

  /** SHA-256 of the secret, hex. Keys are random with 256 bits of entropy, so a fast hash suffices. */
  @Column('char', { length: 64 })
  keyHash!: string;

  @Column('text', { array: true })
  scopes!: ApiKeyScope[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  lastUsedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;
}
