import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DatabaseConfig, WebhooksConfig } from '@depot/config';
import { type CacheTicket, NotifiedCache } from '@depot/database';
import type { WebhookEvent } from '../entities/webhook.entity';

/**
 * The channel the `webhooks` trigger (migration WebhookChangeNotifications) notifies on
 * every change to a tenant's endpoints: the payload is the tenant's id, or `*` for a TRUNCATE.
 */
export const WEBHOOK_CHANGES_CHANNEL = 'depot_webhooks';

/**
 * Which events a tenant's endpoints take, per tenant, for this process; emptied in every
 * process as soon as one of the tenant's endpoints changes ({@link NotifiedCache}, on
 * {@link WEBHOOK_CHANGES_CHANNEL}). It spares each processed file the question "is anybody
 * subscribed?" when, as for most tenants, nobody is. `webhooks.subscriptionCacheTtlMs`
 * bounds an entry's age; 0 turns the cache off.
 *
 * What it changes: an endpoint created while a file is being settled may miss that file's
 * event, as it could before between the endpoints' query and the settle; the window is now
 * the notification's trip from PostgreSQL to this process instead of one round trip.
 */
@Injectable()
export class WebhookSubscriptionsCache implements OnModuleDestroy {
  private readonly cache: NotifiedCache<ReadonlySet<WebhookEvent>>;

  constructor(config: WebhooksConfig, database: DatabaseConfig) {
    this.cache = new NotifiedCache({
      channel: WEBHOOK_CHANGES_CHANNEL,
      name: 'webhook',
      ttlMs: config.subscriptionCacheTtlMs,
      database,
    });
  }

  /** Whether entries are being used: the cache is on and this process is listening for changes. */
  get active(): boolean {
    return this.cache.active;
  }

  /** The events the tenant's endpoints take, if cached and fresh. Starts listening if it has not yet. */
  get(tenantId: string): ReadonlySet<WebhookEvent> | undefined {
    return this.cache.get(tenantId);
  }

  /** Call before reading from the database; pass the ticket to {@link store}. */
  begin(): CacheTicket {
    return this.cache.begin();
  }

  /** Keeps what was read since `ticket`, unless a change arrived meanwhile or nobody listens. */
  store(ticket: CacheTicket, tenantId: string, events: ReadonlySet<WebhookEvent>): void {
    this.cache.store(ticket, tenantId, events);
  }

  /** Forgets one tenant, or everything. */
  invalidate(tenantId?: string): void {
    this.cache.invalidate(tenantId);
  }

  onModuleDestroy(): Promise<void> {
    return this.cache.close();
  }
}
