import type { Transport } from './transport.js';
import type { CreatedWebhook, Delivery, Webhook, WebhookEvent } from './types.js';

export class WebhooksApi {
  constructor(private readonly transport: Transport) {}

  /** Registers an endpoint; the answer's `secret` (shown only here) verifies its deliveries. */
  create(body: { url: string; events: WebhookEvent[] }): Promise<CreatedWebhook> {
    return this.transport.data(this.transport.api.POST('/v1/webhooks', { body }));
  }

  async list(): Promise<Webhook[]> {
    return (await this.transport.data(this.transport.api.GET('/v1/webhooks'))).items;
  }

  delete(id: string): Promise<void> {
    return this.transport.done(this.transport.api.DELETE('/v1/webhooks/{id}', { params: { path: { id } } }));
  }

  /** Every delivery to the endpoint, newest first, page after page. */
  async *deliveries(id: string, query: { limit?: number } = {}): AsyncGenerator<Delivery, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.transport.data(
        this.transport.api.GET('/v1/webhooks/{id}/deliveries', {
          params: { path: { id }, query: { ...query, cursor } },
        }),
      );
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}
