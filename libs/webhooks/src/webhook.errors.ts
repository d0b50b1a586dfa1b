/** The URL cannot be registered (see `webhookUrlProblem`). */
export class InvalidWebhookUrlError extends Error {
  constructor(readonly reason: string) {
    super(`url ${reason}`);
    this.name = 'InvalidWebhookUrlError';
  }
}

/** The tenant already has `webhooks.maxEndpointsPerTenant` endpoints. */
export class WebhookEndpointLimitError extends Error {
  constructor(readonly limit: number) {
    super(`a tenant may register at most ${limit} webhook endpoints; delete one first`);
    this.name = 'WebhookEndpointLimitError';
  }
}
