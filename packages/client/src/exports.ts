// What both entries (Node and browser) export besides their `Depot` class.
export type { BucketsApi } from './buckets.js';
export type { DepotClient } from './client.js';
export { DepotError } from './errors.js';
export type { AdminApi, KeysAdmin, QueuesAdmin, SchedulerAdmin, TenantsAdmin } from './admin.js';
export type { Download, DownloadOptions, FilesApi, ListFilesQuery } from './files.js';
export type { components, operations, paths } from './generated/openapi.js';
export type { UploadSource, UrlStorage } from './platform.js';
export { DEFAULT_CHUNK_SIZE, DEFAULT_RESUMABLE_THRESHOLD_BYTES, type DepotOptions } from './transport.js';
export type * from './types.js';
export type { UploadLinksApi } from './upload-links.js';
export type { UploadOptions } from './upload-plan.js';
export {
  SIGNATURE_HEADER,
  verifyWebhook,
  type VerifyWebhookOptions,
  type WebhookVerification,
} from './verify-webhook.js';
export type { WebhooksApi } from './webhooks.js';
