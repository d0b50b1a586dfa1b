export * from './entities/webhook-delivery.entity';
export * from './entities/webhook.entity';
