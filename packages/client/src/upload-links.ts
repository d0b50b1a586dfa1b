import type { Transport } from './transport.js';
import type { NewUploadLink, UploadLink } from './types.js';

/**
 * One-use upload links (`files:write`): hand the `url` to someone without a key, who POSTs one
 * multipart `file` to it, or gives it to a tus client (tus-js-client, Uppy) as its `endpoint`.
 */
export class UploadLinksApi {
  constructor(private readonly transport: Transport) {}

  create(body: NewUploadLink = {}): Promise<UploadLink> {
    return this.transport.data(this.transport.api.POST('/v1/upload-links', { body }));
  }
}
