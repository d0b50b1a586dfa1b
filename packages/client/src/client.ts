import { AdminApi } from './admin.js';
import { FilesApi } from './files.js';
import type { Platform } from './platform.js';
import { Transport, type DepotOptions } from './transport.js';
import { WebhooksApi } from './webhooks.js';

/**
 * The Depot API: `files`, `webhooks`, and the operator's `admin`. Every call throws a
 * {@link DepotError} when the API answers with a problem.
 *
 * Buckets and upload links are not in the API this client is generated from; they come with
 * the server version that documents them.
 */
export abstract class DepotClient {
  readonly files: FilesApi;
  readonly webhooks: WebhooksApi;
  readonly admin: AdminApi;

  protected constructor(options: DepotOptions, platform: Platform) {
    const transport = new Transport(options);
    this.files = new FilesApi(transport, platform);
    this.webhooks = new WebhooksApi(transport);
    this.admin = new AdminApi(transport);
  }
}
