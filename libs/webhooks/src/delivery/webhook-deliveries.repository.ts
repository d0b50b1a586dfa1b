import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import {
  type DeliveryAttempt,
  type DeliveryStatus,
  WebhookDeliveryEntity,
} from '../entities/webhook-delivery.entity';
import { WebhookEntity } from '../entities/webhook.entity';

/** A pending delivery with what it takes to send it. */
export interface DeliveryToSend {
  delivery: WebhookDeliveryEntity;
  url: string;
  secret: string;
}

/** The delivery rows' queries that are more than a find: attempts are recorded atomically. */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveries: Repository<WebhookDeliveryEntity>,
  ) {}

  /** The delivery and its endpoint; undefined when either is gone (an endpoint deleted since). */
  async findToSend(deliveryId: string): Promise<DeliveryToSend | undefined> {
    const delivery = await this.deliveries
      .createQueryBuilder('delivery')
      .innerJoinAndSelect('delivery.webhook', 'webhook')
      .where('delivery.id = :deliveryId', { deliveryId })
      .getOne();
    const webhook: WebhookEntity | undefined = delivery?.webhook;
    return delivery && webhook ? { delivery, url: webhook.url, secret: webhook.secret } : undefined;
  }

  /**
   * Appends one attempt to a pending delivery in a single statement (attempt count, log,
   * last status and error, and the final status when `settle` is given). Returns the
   * attempts made so far, or undefined when the delivery was no longer pending.
   */
  async recordAttempt(
    deliveryId: string,
    attempt: DeliveryAttempt,
    settle: Exclude<DeliveryStatus, 'pending'> | undefined,
  ): Promise<number | undefined> {
    const result = await this.deliveries
      .createQueryBuilder()
      .update(WebhookDeliveryEntity)
      .set({
        attempts: () => 'attempts + 1',
        attemptLog: () => 'attempt_log || jsonb_build_array(CAST(:attempt AS jsonb))',
        lastStatusCode: attempt.statusCode,
        lastError: attempt.error,
        ...(settle ? { status: settle } : {}),
        ...(settle === 'succeeded' ? { deliveredAt: () => 'now()' } : {}),
      })
      .where('id = :deliveryId AND status = :pending', { deliveryId, pending: 'pending' })
      .setParameter('attempt', JSON.stringify(attempt))
      .returning(['attempts'])
      .execute();
    const [row] = result.raw as Array<{ attempts: number }>;
    return row?.attempts;
  }

  /** How many deliveries the tenant has pending, counted up to `upTo` (no need to count further). */
  async countPending(manager: EntityManager, tenantId: string, upTo: number): Promise<number> {
    const [row] = await manager.query<Array<{ count: number }>>(
      `SELECT count(*)::int AS count FROM (SELECT 1 FROM webhook_deliveries WHERE tenant_id = $1 AND status = 'pending' LIMIT $2) pending`,
      [tenantId, upTo],
    );
    return row?.count ?? 0;
  }

  /** Ids of deliveries still pending that were created before `createdBefore`, oldest first. */
  async pendingCreatedBefore(createdBefore: Date, limit: number): Promise<string[]> {
    const rows = await this.deliveries
      .createQueryBuilder('delivery')
      .select('delivery.id', 'id')
      .where('delivery.status = :pending', { pending: 'pending' })
      .andWhere('delivery.created_at < :createdBefore', { createdBefore })
      .orderBy('delivery.created_at', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }
}
