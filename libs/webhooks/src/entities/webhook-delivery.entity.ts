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
import { WebhookEntity, type WebhookEvent } from './webhook.entity';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One attempt at delivering, kept for the deliveries list. */
export interface DeliveryAttempt {
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

@Entity({ name: 'webhook_deliveries' })
@Index('ix_webhook_deliveries_webhook_created', ['webhookId', 'createdAt'])
/** For requeueStuck: the pending deliveries, oldest first, without reading the settled ones. */
@Index('ix_webhook_deliveries_pending', ['createdAt'], { where: `status = 'pending'` })
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  webhookId!: string;

  @ManyToOne(() => WebhookEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhook_id', foreignKeyConstraintName: 'fk_webhook_deliveries_webhook' })
  webhook?: WebhookEntity;

  @Column('uuid')
  tenantId!: string;

  @Column('varchar', { length: 64 })
  event!: WebhookEvent;

  /** The exact JSON body sent, so every attempt signs the same bytes. */
  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column({ type: 'enum', enum: DELIVERY_STATUSES, enumName: 'webhook_delivery_status', default: 'pending' })
  status!: DeliveryStatus;

  @Column('int', { default: 0 })
  attempts!: number;

  @Column('int', { nullable: true })
  lastStatusCode!: number | null;

  @Column('text', { nullable: true })
  lastError!: string | null;

  @Column('jsonb', { default: () => "'[]'" })
  attemptLog!: DeliveryAttempt[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column('timestamptz', { nullable: true })
  deliveredAt!: Date | null;
}
