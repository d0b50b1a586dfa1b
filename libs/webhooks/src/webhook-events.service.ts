import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { JobQueue } from '@depot/queue';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEntity, type WebhookEvent } from './entities/webhook.entity';

/**
 * Where domain services report events. `record` writes one delivery per subscribed
 * endpoint inside the caller's transaction, so the state change and the deliveries that
 * report it commit together; `dispatch` enqueues them once the transaction has committed.
 */
@Injectable()
export class WebhookEvents {
  constructor(private readonly jobs: JobQueue) {}

  /** Returns the ids of the deliveries written, to pass to {@link dispatch} after commit. */
  async record(
    manager: EntityManager,
    tenantId: string,
    event: WebhookEvent,
    data: Record<string, unknown>,
  ): Promise<string[]> {
    const endpoints = await manager
      .getRepository(WebhookEntity)
      .createQueryBuilder('webhook')
      .where('webhook.tenant_id = :tenantId', { tenantId })
      .andWhere(':event = ANY(webhook.events)', { event })
      .getMany();
    if (endpoints.length === 0) return [];
    const createdAt = new Date();
    const deliveries = endpoints.map((endpoint) => {
      const id = randomUUID();
      return manager.getRepository(WebhookDeliveryEntity).create({
        id,
        webhookId: endpoint.id,
        tenantId,
        event,
        payload: { id, type: event, createdAt: createdAt.toISOString(), data },
        status: 'pending',
        attempts: 0,
        createdAt,
      });
    });
    await manager
      .getRepository(WebhookDeliveryEntity)
      .insert(deliveries as QueryDeepPartialEntity<WebhookDeliveryEntity>[]);
    return deliveries.map((delivery) => delivery.id);
  }

  /** Enqueues one `webhooks.deliver` job per delivery; the delivery id is the job id. */
  async dispatch(deliveryIds: string[]): Promise<void> {
    await Promise.all(
      deliveryIds.map((deliveryId) =>
        this.jobs.add('webhooks', 'deliver', { deliveryId }, { jobId: deliveryId }),
      ),
    );
  }
}
