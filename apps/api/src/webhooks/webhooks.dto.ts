import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  MaxLength,
} from 'class-validator';
import {
  DELIVERY_STATUSES,
  type DeliveryAttempt,
  type DeliveryStatus,
  WEBHOOK_EVENTS,
  WEBHOOK_URL_MAX_LENGTH,
  type WebhookDeliveryEntity,
  type WebhookEntity,
  type WebhookEvent,
} from '@depot/webhooks';

export class CreateWebhookDto {
  @ApiProperty({
    maxLength: WEBHOOK_URL_MAX_LENGTH,
    example: 'https://hooks.example.com/depot',
    description:
      'http or https, no credentials. Where it resolves is checked at every delivery: private, loopback and ' +
      'link-local addresses are refused unless `webhooks.allowPrivateNetworks` is on.',
  })
  @IsString()
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['file.ready', 'file.failed'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, { each: true, message: `each event must be one of ${WEBHOOK_EVENTS.join(', ')}` })
  events!: WebhookEvent[];
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  events!: WebhookEvent[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static from(webhook: WebhookEntity): WebhookDto {
    return {
      id: webhook.id,
      url: webhook.url,
      events: webhook.events,
      createdAt: webhook.createdAt.toISOString(),
    };
  }
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    description:
      'The signing secret: HMAC-SHA256 key of the `Depot-Signature` header. Shown only in this response; store it now.',
    example: 'whsec_9Qz3mB0x1vF7kL2pR8sT4wY6uH5jN0cE3aD1gI7oK2M',
  })
  secret!: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] })
  items!: WebhookDto[];
}

export class DeliveryAttemptDto implements DeliveryAttempt {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "The receiver's status code; null if it never answered.",
  })
  statusCode!: number | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Why the attempt failed; null when it succeeded.',
  })
  error!: string | null;

  @ApiProperty({ type: 'integer' })
  durationMs!: number;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Also the `Depot-Delivery` header and the body’s `id`.' })
  id!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS })
  event!: WebhookEvent;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: DeliveryStatus;

  @ApiProperty({ type: 'integer' })
  attempts!: number;

  @ApiProperty({ type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @ApiProperty({ type: 'string', nullable: true })
  lastError!: string | null;

  @ApiProperty({ type: [DeliveryAttemptDto], description: 'Every attempt, oldest first.' })
  attemptLog!: DeliveryAttemptDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  deliveredAt!: string | null;

  static from(delivery: WebhookDeliveryEntity): DeliveryDto {
    return {
      id: delivery.id,
      event: delivery.event,
      status: delivery.status,
      attempts: delivery.attempts,
      lastStatusCode: delivery.lastStatusCode,
      lastError: delivery.lastError,
      attemptLog: delivery.attemptLog,
      createdAt: delivery.createdAt.toISOString(),
      deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    };
  }
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] })
  items!: DeliveryDto[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last.',
  })
  nextCursor!: string | null;
}
