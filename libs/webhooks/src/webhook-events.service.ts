import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { WebhooksConfig } from '@depot/config';
import { TransactionRunner } from '@depot/database';
import { currentLogContext } from '@depot/observability';
import { JobQueueService } from '@depot/queue';
import { WebhookSubscriptionsCache } from './endpoints/webhook-subscriptions.cache';
import { WebhookDeliveriesRepository } from './delivery/webhook-deliveries.repository';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEntity, type WebhookEvent } from './entities/webhook.entity';

/** What an event says about its subject: a value, or a function that builds it only if some endpoint takes the event. */
export type EventData = Record<string, unknown> | (() => Promise<Record<string, unknown>>);

/** Records one event for a tenant inside {@link WebhookEventsService.runAndDispatch}'s transaction. */
export type RecordEvent = (tenantId: string, event: WebhookEvent, data: EventData) => Promise<void>;

/** See {@link WebhookEventsService.runAndDispatch}. */
export interface RunAndDispatchOptions {
  /**
   * `work` is atomic on its own (one statement) and needs a transaction only to commit the
   * deliveries of this one event of this tenant with it. When none of the tenant's
   * endpoints takes the event, `work` runs on the pool without a transaction and `record`
   * writes nothing. Without it, `work` always runs in a transaction.
   */
  only?: { tenantId: string; event: WebhookEvent };
}

/** Share of each backoff delay drawn at random, so endpoints that failed together do not retry together. */
const BACKOFF_JITTER = 0.5;

/**
 * Where domain services report events. `runAndDispatch` runs a state change in one
 * transaction with the deliveries that report it (`record` writes one per subscribed
 * endpoint), and enqueues them once the transaction has committed.
 * A dispatch lost to a Redis outage is not lost for good: `redispatchStalled` (run by the
 * requeueStuck maintenance job) enqueues again pending deliveries whose job is gone.
 */
@Injectable()
export class WebhookEventsService {
  private readonly logger = new Logger(WebhookEventsService.name);

  constructor(
    private readonly jobs: JobQueueService,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly config: WebhooksConfig,
    private readonly transactions: TransactionRunner,
    private readonly dataSource: DataSource,
    private readonly subscriptions: WebhookSubscriptionsCache,
  ) {}

  /**
   * Runs `work` in one transaction; the events it records through `record` commit with it
   * and are dispatched after the commit. A failed dispatch is logged, not thrown: the change
   * is committed, and requeueStuck dispatches deliveries left pending again.
   *
   * With `options.only`, the transaction is opened only when something will be recorded:
   * see {@link RunAndDispatchOptions}.
   */
  async runAndDispatch<T>(
    work: (manager: EntityManager, record: RecordEvent) => Promise<T>,
    options: RunAndDispatchOptions = {},
  ): Promise<T> {
    const { only } = options;
    if (only && !(await this.subscribed(only.tenantId, only.event))) {
      return work(this.dataSource.manager, async (tenantId, event) => {
        // Nobody takes it: nothing to write. Anything else would need the transaction we skipped.
        if (tenantId !== only.tenantId || event !== only.event) {
          throw new Error(
            `runAndDispatch: ${event} for another tenant or event than announced (${only.event})`,
          );
        }
      });
    }
    // Each event's deliveries keep the request id of the work that recorded it, which need
    // not be the dispatcher's: one worker batch settles files uploaded by several requests.
    const recorded: Array<{ deliveryIds: string[]; requestId: string | undefined }> = [];
    const result = await this.transactions.run((manager) =>
      work(manager, async (tenantId, event, data) => {
        const deliveryIds = await this.record(manager, tenantId, event, data);
        recorded.push({ deliveryIds, requestId: currentLogContext().requestId });
      }),
    );
    try {
      await Promise.all(recorded.map(({ deliveryIds, requestId }) => this.dispatch(deliveryIds, requestId)));
    } catch (error) {
      this.logger.warn(
        { err: error, deliveryIds: recorded.flatMap(({ deliveryIds }) => deliveryIds) },
        'could not dispatch webhook deliveries; requeueStuck will',
      );
    }
    return result;
  }

  /**
   * Whether any of the tenant's endpoints takes `event`. Answered from
   * {@link WebhookSubscriptionsCache} when it holds the tenant (it is emptied in every process
   * by any change to the tenant's endpoints), otherwise read, and kept.
   */
  async subscribed(tenantId: string, event: WebhookEvent): Promise<boolean> {
    const cached = this.subscriptions.get(tenantId);
    if (cached) return cached.has(event);
    const ticket = this.subscriptions.begin();
    const [row] = (await this.dataSource.query(
      'SELECT ARRAY(SELECT DISTINCT unnest(events) FROM webhooks WHERE tenant_id = $1)::text[] AS events',
      [tenantId],
    )) as Array<{ events: WebhookEvent[] }>;
    const events = new Set(row?.events ?? []);
    this.subscriptions.store(ticket, tenantId, events);
    return events.has(event);
  }

  /**
   * Returns the ids of the deliveries written, to pass to {@link dispatch} after commit. A
   * tenant has at most `webhooks.maxPendingDeliveriesPerTenant` deliveries pending: events
   * past that are still recorded, as `failed` with the reason, and never enqueued, so one
   * tenant's failing or slow endpoints cannot fill the shared webhooks queue.
   */
  async record(
    manager: EntityManager,
    tenantId: string,
    event: WebhookEvent,
    data: EventData,
  ): Promise<string[]> {
    const endpoints = await manager
      .getRepository(WebhookEntity)
      .createQueryBuilder('webhook')
      .where('webhook.tenant_id = :tenantId', { tenantId })
      .andWhere(':event = ANY(webhook.events)', { event })
      .getMany();
    if (endpoints.length === 0) return [];
    const payloadData = typeof data === 'function' ? await data() : data;
    const cap = this.config.maxPendingDeliveriesPerTenant;
    let room = cap - (await this.deliveries.countPending(manager, tenantId, cap));
    const createdAt = new Date();
    const deliveries = endpoints.map((endpoint) => {
      const id = randomUUID();
      const accepted = room > 0;
      room -= 1;
      return manager.getRepository(WebhookDeliveryEntity).create({
        id,
        webhookId: endpoint.id,
        tenantId,
        event,
        payload: { id, type: event, createdAt: createdAt.toISOString(), data: payloadData },
        status: accepted ? 'pending' : 'failed',
        attempts: 0,
        ...(accepted ? {} : { lastError: `dropped: ${cap} deliveries already pending for this tenant` }),
        createdAt,
      });
    });
    await manager
      .getRepository(WebhookDeliveryEntity)
      .insert(deliveries as QueryDeepPartialEntity<WebhookDeliveryEntity>[]);
    const dropped = deliveries.filter((delivery) => delivery.status !== 'pending');
    if (dropped.length > 0) {
      this.logger.warn({
        msg: 'webhook deliveries dropped: tenant at its pending cap',
        tenantId,
        event,
        cap,
      });
    }
    return deliveries.filter((delivery) => delivery.status === 'pending').map((delivery) => delivery.id);
  }

  /**
   * Enqueues one `webhooks.deliver` job per delivery; the delivery id is the job id, so a
   * second dispatch of the same delivery is ignored while its job exists. Each job retries
   * with exponential backoff and jitter up to `webhooks.maxAttempts`. The jobs carry
   * `requestId` when given, else the current log context's.
   */
  async dispatch(deliveryIds: string[], requestId?: string): Promise<void> {
    await Promise.all(
      deliveryIds.map((deliveryId) =>
        this.jobs.add('webhooks', 'deliver', { deliveryId, requestId }, this.jobOptions(deliveryId)),
      ),
    );
  }

  /**
   * Enqueues again deliveries still pending after `createdBefore` whose job is gone (its
   * enqueue was lost, or it was trimmed) or finished without settling the row (a worker
   * that died on the last attempt). A job still waiting, delayed or active is left alone, so
   * no delivery is ever in two jobs. Returns how many were enqueued again.
   */
  async redispatchStalled(createdBefore: Date, limit = 1000): Promise<number> {
    let redispatched = 0;
    for (const deliveryId of await this.deliveries.pendingCreatedBefore(createdBefore, limit)) {
      const previousJob = await this.jobs.requeue(
        'webhooks',
        'deliver',
        { deliveryId },
        this.jobOptions(deliveryId),
      );
      if (previousJob === undefined) continue;
      redispatched += 1;
      this.logger.log({ msg: 'stalled webhook delivery dispatched again', deliveryId, previousJob });
    }
    return redispatched;
  }

  private jobOptions(deliveryId: string): JobsOptions & { jobId: string } {
    return {
      jobId: deliveryId,
      attempts: this.config.maxAttempts,
      backoff: { type: 'exponential', delay: this.config.backoffMs, jitter: BACKOFF_JITTER },
    };
  }
}
