import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { WebhooksConfig } from '@depot/config';
import { KeysetCursors, newestFirst, type Page, type PageRequest } from '@depot/database';
import { WebhookDeliveryEntity } from '../entities/webhook-delivery.entity';
import { WebhookEntity, type WebhookEvent } from '../entities/webhook.entity';
import { webhookUrlProblem } from './webhook-url';
import { WebhookSubscriptionsCache } from './webhook-subscriptions.cache';
import { InvalidWebhookUrlError, WebhookEndpointLimitError } from '../webhook.errors';

export interface CreateWebhook {
  url: string;
  events: WebhookEvent[];
}

/**
 * A tenant's webhook endpoints. Every read and write is scoped by tenant id in its query, so
 * another tenant's endpoint is indistinguishable from one that does not exist.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    @InjectRepository(WebhookEntity) private readonly webhooks: Repository<WebhookEntity>,
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveries: Repository<WebhookDeliveryEntity>,
    private readonly config: WebhooksConfig,
    private readonly cursors: KeysetCursors,
    private readonly subscriptions: WebhookSubscriptionsCache,
  ) {}

  /** Why `url` cannot be registered, or undefined. */
  urlProblem(url: string): string | undefined {
    return webhookUrlProblem(url, this.config);
  }

  /**
   * Registers an endpoint with a fresh signing secret, which the caller shows once. A tenant
   * has at most `webhooks.maxEndpointsPerTenant` endpoints (each event fans out to every one
   * of them): the count and the insert run under a per-tenant lock, so concurrent creates
   * cannot pass the cap together.
   */
  async create(tenantId: string, input: CreateWebhook): Promise<WebhookEntity> {
    const problem = this.urlProblem(input.url);
    if (problem) throw new InvalidWebhookUrlError(problem);
    const created = await this.webhooks.manager.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('webhooks:' || $1, 0))`, [tenantId]);
      const repository = manager.getRepository(WebhookEntity);
      if ((await repository.countBy({ tenantId })) >= this.config.maxEndpointsPerTenant) {
        throw new WebhookEndpointLimitError(this.config.maxEndpointsPerTenant);
      }
      const webhook = repository.create({
        id: randomUUID(),
        tenantId,
        url: input.url,
        events: [...new Set(input.events)],
        secret: `whsec_${randomBytes(32).toString('base64url')}`,
      });
      return repository.save(webhook);
    });
    // Every process forgets the tenant through the table's trigger; this one need not wait for it.
    this.subscriptions.invalidate(tenantId);
    return created;
  }

  list(tenantId: string): Promise<WebhookEntity[]> {
    return this.webhooks.find({ where: { tenantId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  find(tenantId: string, id: string): Promise<WebhookEntity | null> {
    return this.webhooks.findOneBy({ tenantId, id });
  }

  /** Deletes the endpoint and its deliveries; deliveries in flight find it gone and stop. Returns whether it existed. */
  async remove(tenantId: string, id: string): Promise<boolean> {
    const result = await this.webhooks.delete({ tenantId, id });
    this.subscriptions.invalidate(tenantId);
    return (result.affected ?? 0) > 0;
  }

  /** The endpoint's deliveries, newest first; undefined when the endpoint is not the tenant's. */
  async deliveriesOf(
    tenantId: string,
    webhookId: string,
    page: PageRequest,
  ): Promise<Page<WebhookDeliveryEntity> | undefined> {
    if (!(await this.webhooks.existsBy({ tenantId, id: webhookId }))) return undefined;
    return newestFirst(
      this.deliveries
        .createQueryBuilder('delivery')
        .where('delivery.webhook_id = :webhookId', { webhookId })
        .andWhere('delivery.tenant_id = :tenantId', { tenantId }),
      page,
      this.cursors,
      { tenantId },
    );
  }
}
