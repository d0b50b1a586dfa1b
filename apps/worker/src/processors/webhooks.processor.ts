import { Processor } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { WorkerConfig } from '@depot/config';
import { type JobHandlers, QueueProcessor } from '@depot/queue';
import { WebhookDeliveryService } from '@depot/webhooks';

/**
 * The `webhooks` queue: `deliver` makes one attempt at a delivery (`@depot/webhooks` sends
 * it and records it) and tells the queue what comes next: a failed attempt is thrown so the
 * queue retries it after an exponential, jittered backoff; a delivery that failed for good
 * fails the job without further retries.
 */
@Processor('webhooks')
export class WebhooksProcessor extends QueueProcessor<'webhooks'> implements OnApplicationBootstrap {
  readonly queueName = 'webhooks';

  protected readonly handlers: JobHandlers<'webhooks'> = {
    deliver: async ({ deliveryId }, job) => {
      const outcome = await this.deliveries.attempt(deliveryId, {
        lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      });
      if (outcome.result === 'retry') throw new Error(outcome.error);
      if (outcome.result === 'failed') throw new UnrecoverableError(outcome.error);
      return outcome;
    },
  };

  constructor(
    private readonly deliveries: WebhookDeliveryService,
    private readonly config: WorkerConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.concurrency.webhooks;
  }
}
