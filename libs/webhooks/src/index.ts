export * from './entities/webhook-delivery.entity';
export * from './entities/webhook.entity';
export * from './webhook-events.service';
export * from './webhooks.module';
