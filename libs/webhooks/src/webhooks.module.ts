import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, ConfigModule, WebhooksConfig } from '@depot/config';
import { DatabaseModule } from '@depot/database';
import { MetricsModule } from '@depot/observability';
import { QueueModule } from '@depot/queue';
import { WebhookDeliveriesRepository } from './delivery/webhook-deliveries.repository';
import { WebhookDeliveryService } from './delivery/webhook-delivery.service';
import { WebhookSenderService } from './delivery/webhook-sender.service';
import { WebhookSubscriptionsCache } from './endpoints/webhook-subscriptions.cache';
import { WebhookEndpointsService } from './endpoints/webhook-endpoints.service';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEntity } from './entities/webhook.entity';
import { WebhookEventsService } from './webhook-events.service';

/**
 * Webhooks: endpoints (the api), events recorded and dispatched (the file lifecycle), and
 * delivery (the worker's `webhooks` processor).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEntity, WebhookDeliveryEntity]),
    ConfigModule,
    DatabaseModule,
    QueueModule,
    MetricsModule,
  ],
  providers: [
    WebhookEventsService,
    WebhookSubscriptionsCache,
    WebhookEndpointsService,
    WebhookDeliveriesRepository,
    WebhookSenderService,
    WebhookDeliveryService,
  ],
  exports: [WebhookEventsService, WebhookEndpointsService, WebhookDeliveryService],
})
export class WebhooksModule implements OnModuleInit {
  constructor(
    private readonly app: AppConfig,
    private readonly config: WebhooksConfig,
  ) {}

  /** Production may reach private networks only with two switches on (config refuses one); it still says so. */
  onModuleInit(): void {
    if (this.app.env === 'production' && this.config.allowPrivateNetworks) {
      new Logger(WebhooksModule.name).warn(
        'webhooks.allowPrivateNetworks is on in production: tenants can make the worker call internal addresses',
      );
    }
  }
}
