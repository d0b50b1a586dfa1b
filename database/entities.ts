import { BucketEntity, FileEntity, UploadLinkEntity } from '@depot/files';
import { SchedulerRunEntity } from '@depot/scheduling';
import { ApiKeyEntity, TenantEntity } from '@depot/tenancy';
import { WebhookDeliveryEntity, WebhookEntity } from '@depot/webhooks';

/** Every entity of the schema; the migration CLI and `db:check` compare these with the migrations. */
export const ENTITIES = [
  TenantEntity,
  ApiKeyEntity,
  FileEntity,
  UploadLinkEntity,
  BucketEntity,
  WebhookEntity,
  WebhookDeliveryEntity,
  SchedulerRunEntity,
];
