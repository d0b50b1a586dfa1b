// Webhooks as apps and tests use them. Anything not listed here is internal to the lib (its
// unit tests import it by relative path).
export { WebhookDeliveryService } from './delivery/webhook-delivery.service';
export { WebhookEndpointsService } from './endpoints/webhook-endpoints.service';
export { InvalidWebhookUrlError, WebhookEndpointLimitError } from './webhook.errors';
export { WEBHOOK_URL_MAX_LENGTH } from './endpoints/webhook-url';
export {
  DELIVERY_STATUSES,
  type DeliveryAttempt,
  type DeliveryStatus,
  WebhookDeliveryEntity,
} from './entities/webhook-delivery.entity';
export { WEBHOOK_EVENTS, WebhookEntity, type WebhookEvent } from './entities/webhook.entity';
export { signWebhookPayload, verifyWebhookSignature } from './signing/webhook-signature';
export {
  type EventData,
  type RecordEvent,
  type RunAndDispatchOptions,
  WebhookEventsService,
} from './webhook-events.service';
export { WEBHOOK_CHANGES_CHANNEL, WebhookSubscriptionsCache } from './endpoints/webhook-subscriptions.cache';
export { WebhooksModule } from './webhooks.module';
