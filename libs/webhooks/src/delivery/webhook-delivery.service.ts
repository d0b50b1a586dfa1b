import { Injectable, Logger } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { WebhooksConfig } from '@depot/config';
import { MetricsRegistry } from '@depot/observability';
import type { DeliveryAttempt } from '../entities/webhook-delivery.entity';
import { signWebhookPayload, SIGNATURE_HEADER } from '../signing/webhook-signature';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookSenderService } from './webhook-sender.service';

/** What one delivery attempt came to; the worker's processor turns it into the job's fate. */
export type DeliveryOutcome =
  | { result: 'succeeded'; attempts: number }
  /** Failed, and another attempt is due after a backoff. */
  | { result: 'retry'; attempts: number; error: string }
  /** Failed for good: attempts exhausted, or a destination the SSRF guard refuses. */
  | { result: 'failed'; attempts: number; error: string }
  /** Nothing sent: the delivery (or its endpoint) is gone, or already settled. */
  | { result: 'skipped'; reason: 'gone' | 'settled' };

export interface AttemptOptions {
  /** The queue will not try again after this one, whatever the row's count says. */
  lastAttempt: boolean;
}

/**
 * Sends one attempt of a webhook delivery and records it. The body is the stored payload
 * serialised once per attempt (jsonb gives the same bytes every time), signed with a fresh
 * timestamp; every attempt's status code or error, and its duration, is appended to the
 * delivery's attempt log in the same statement that counts it.
 *
 * Delivery is at least once: a worker that dies after the receiver answered and before the
 * row is updated will send again, with the same `Depot-Delivery` id for the receiver to
 * deduplicate on.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly attempts: Counter<'event' | 'result'>;
  private readonly settled: Counter<'event' | 'status'>;
  private readonly duration: Histogram<'event'>;

  constructor(
    private readonly repository: WebhookDeliveriesRepository,
    private readonly sender: WebhookSenderService,
    private readonly config: WebhooksConfig,
    metrics: MetricsRegistry,
  ) {
    this.attempts = metrics.counter({
      name: 'depot_webhook_attempts_total',
      help: 'Webhook delivery attempts by event and result (success, failure, refused).',
      labelNames: ['event', 'result'],
    });
    this.settled = metrics.counter({
      name: 'depot_webhook_deliveries_settled_total',
      help: 'Webhook deliveries that reached a final status (succeeded or failed).',
      labelNames: ['event', 'status'],
    });
    this.duration = metrics.histogram({
      name: 'depot_webhook_attempt_duration_seconds',
      help: 'Time from the start of a webhook attempt to the response headers or the error.',
      labelNames: ['event'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
  }

  async attempt(deliveryId: string, options: AttemptOptions): Promise<DeliveryOutcome> {
    const found = await this.repository.findToSend(deliveryId);
    if (!found) {
      this.logger.log({ msg: 'webhook delivery skipped: it or its endpoint is gone', deliveryId });
      return { result: 'skipped', reason: 'gone' };
    }
    const { delivery, url, secret } = found;
    if (delivery.status !== 'pending') return { result: 'skipped', reason: 'settled' };

    const body = JSON.stringify(delivery.payload);
    const response = await this.sender.send({
      url,
      body,
      headers: {
        'Depot-Event': delivery.event,
        'Depot-Delivery': delivery.id,
        [SIGNATURE_HEADER]: signWebhookPayload(secret, body),
      },
    });

    const attemptNumber = delivery.attempts + 1;
    const final =
      response.ok || response.refused || options.lastAttempt || attemptNumber >= this.config.maxAttempts;
    const status = response.ok ? 'succeeded' : final ? 'failed' : undefined;
    const entry: DeliveryAttempt = {
      at: new Date().toISOString(),
      statusCode: response.statusCode,
      error: response.error,
      durationMs: response.durationMs,
    };
    const attempts = await this.repository.recordAttempt(delivery.id, entry, status);
    if (attempts === undefined) return { result: 'skipped', reason: 'settled' };

    const labels = { event: delivery.event };
    this.duration.observe(labels, response.durationMs / 1000);
    this.attempts.inc({
      ...labels,
      result: response.ok ? 'success' : response.refused ? 'refused' : 'failure',
    });
    if (status) this.settled.inc({ ...labels, status });
    const fields = {
      deliveryId: delivery.id,
      webhookId: delivery.webhookId,
      tenantId: delivery.tenantId,
      event: delivery.event,
      attempt: attempts,
      statusCode: response.statusCode,
      durationMs: response.durationMs,
    };

    if (response.ok) {
      this.logger.log({ ...fields, msg: 'webhook delivered' });
      return { result: 'succeeded', attempts };
    }
    const error = response.error ?? 'failed';
    const cause = response.cause ?? error;
    if (status === 'failed') {
      this.logger.warn({ ...fields, error: cause, msg: 'webhook delivery failed for good' });
      return { result: 'failed', attempts, error };
    }
    this.logger.warn({ ...fields, error: cause, msg: 'webhook attempt failed; will retry' });
    return { result: 'retry', attempts, error };
  }
}
