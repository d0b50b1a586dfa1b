import type { components } from './generated/openapi.js';

type Schemas = components['schemas'];

/** A file as the API shows it. */
export type DepotFile = Schemas['FileDto'];
export type FileStatus = DepotFile['status'];
export type FilePage = Schemas['FilePageDto'];
export type FileLink = Schemas['LinkDto'];
export type Problem = Schemas['ProblemDto'];
export type FieldError = Schemas['FieldErrorDto'];
export type Tenant = Schemas['TenantDto'];
export type ApiKey = Schemas['ApiKeyDto'];
export type CreatedApiKey = Schemas['CreatedApiKeyDto'];
export type Scope = NonNullable<Schemas['CreateApiKeyDto']['scopes']>[number];
export type Webhook = Schemas['WebhookDto'];
export type CreatedWebhook = Schemas['CreatedWebhookDto'];
export type WebhookEvent = Schemas['CreateWebhookDto']['events'][number];
export type Delivery = Schemas['DeliveryDto'];
export type QueueCounts = Schemas['QueueCountsDto'];
export type QueueName = QueueCounts['name'];
export type RetriedJobs = Schemas['RetryFailedDto'];
export type SchedulerRun = Schemas['SchedulerRunDto'];
export type Bucket = Schemas['BucketDto'];
export type NewBucket = Schemas['CreateBucketDto'];
export type BucketSettings = Schemas['UpdateBucketDto'];
export type Usage = Schemas['UsageDto'];
export type FileChanges = Schemas['UpdateFileDto'];
export type CopyTarget = Schemas['CopyFileDto'];
export type TenantChanges = Schemas['UpdateTenantDto'];
export type NewUploadLink = Schemas['CreateUploadLinkDto'];
export type UploadLink = Schemas['UploadLinkDto'];

/** Bytes transferred so far; `total` is undefined when the size is not known in advance. */
export interface Progress {
  bytes: number;
  total: number | undefined;
}

export type ProgressListener = (progress: Progress) => void;
