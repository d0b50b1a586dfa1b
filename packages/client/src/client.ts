import { AdminApi } from './admin.js';
import { BucketsApi } from './buckets.js';
import { FilesApi } from './files.js';
import type { Platform } from './platform.js';
import { Transport, type DepotOptions } from './transport.js';
import { UploadLinksApi } from './upload-links.js';
import { WebhooksApi } from './webhooks.js';

/**
 * The Depot API: `files`, `buckets` (and the tenant's usage), `uploadLinks`, `webhooks`, and the operator's
 * `admin`. Every call throws a {@link DepotError} when the API answers with a problem.
 */
export abstract class DepotClient {
  readonly files: FilesApi;
  readonly buckets: BucketsApi;
  readonly uploadLinks: UploadLinksApi;
  readonly webhooks: WebhooksApi;
  readonly admin: AdminApi;

  protected constructor(options: DepotOptions, platform: Platform) {
    const transport = new Transport(options);
    this.files = new FilesApi(transport, platform);
    this.buckets = new BucketsApi(transport);
    this.uploadLinks = new UploadLinksApi(transport);
    this.webhooks = new WebhooksApi(transport);
    this.admin = new AdminApi(transport);
  }
}
