import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TenantEntity } from '@depot/tenancy';

export const WEBHOOK_EVENTS = [
  'file.ready',
  'file.failed',
  'file.deleted',
  'file.copied',
  'file.updated',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

@Entity({ name: 'webhooks' })
@Index('ix_webhooks_tenant', ['tenantId', 'createdAt'])
export class WebhookEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_webhooks_tenant' })
  tenant?: TenantEntity;

  @Column('text')
  url!: string;

  @Column('text', { array: true })
  events!: WebhookEvent[];

  /** Signing secret; shown to the tenant once, kept to sign each delivery. */
  @Column('varchar', { length: 128 })
  secret!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
