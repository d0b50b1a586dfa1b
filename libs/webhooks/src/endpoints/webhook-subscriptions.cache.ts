import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Client, type Notification } from 'pg';
import { DatabaseConfig, WebhooksConfig } from '@depot/config';
import type { WebhookEvent } from '../entities/webhook.entity';

/**
 * The channel the `webhooks` trigger (migration WebhookChangeNotifications) notifies on
 * every change to a tenant's endpoints: the payload is the tenant's id, or `*` for a TRUNCATE.
 */
export const WEBHOOK_CHANGES_CHANNEL = 'depot_webhooks';
/** Tenants kept at most; beyond it the oldest go first. */
const MAX_ENTRIES = 10_000;
/** After the listening connection failed, wait this long before connecting again. */
const RECONNECT_DELAY_MS = 1_000;

interface Entry {
  events: ReadonlySet<WebhookEvent>;
  expiresAt: number;
}

/** A snapshot to store a read under: see {@link WebhookSubscriptionsCache.begin}. */
export interface SubscriptionsTicket {
  readonly generation: number;
}

/**
 * Which events a tenant's endpoints take, per tenant, for this process; emptied in every
 * process as soon as one of the tenant's endpoints changes. It spares each processed file
 * the question "is anybody subscribed?" when, as for most tenants, nobody is.
 *
 * The same contract as the api's key cache: entries are used only while this process
 * LISTENs on {@link WEBHOOK_CHANGES_CHANNEL} (connected by the first lookup, so processes
 * that never ask open no connection); until `LISTEN` is confirmed nothing is cached; when
 * the connection errs or ends, the cache is emptied and bypassed until it is back. A read
 * in flight when a change arrived is not stored (the generation moved).
 * `webhooks.subscriptionCacheTtlMs` bounds an entry's age for a connection that stops
 * delivering without failing; 0 turns the cache off.
 *
 * What it changes: an endpoint created while a file is being settled may miss that file's
 * event, as it could before between the endpoints' query and the settle; the window is now
 * the notification's trip from PostgreSQL to this process instead of one round trip.
 */
@Injectable()
export class WebhookSubscriptionsCache implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookSubscriptionsCache.name);
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private generation = 0;
  private listening = false;
  private client?: Client;
  private retryAfter = 0;
  private closed = false;

  constructor(
    config: WebhooksConfig,
    private readonly database: DatabaseConfig,
  ) {
    this.ttlMs = config.subscriptionCacheTtlMs;
  }

  /** Whether entries are being used: the cache is on and this process is listening for changes. */
  get active(): boolean {
    return this.listening;
  }

  /** The events the tenant's endpoints take, if cached and fresh. Starts listening if it has not yet. */
  get(tenantId: string): ReadonlySet<WebhookEvent> | undefined {
    if (!this.listening) {
      this.listen();
      return undefined;
    }
    const entry = this.entries.get(tenantId);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(tenantId);
      return undefined;
    }
    return entry.events;
  }

  /** Call before reading from the database; pass the ticket to {@link store}. */
  begin(): SubscriptionsTicket {
    return { generation: this.generation };
  }

  /** Keeps what was read since `ticket`, unless a change arrived meanwhile or nobody listens. */
  store(ticket: SubscriptionsTicket, tenantId: string, events: ReadonlySet<WebhookEvent>): void {
    if (!this.listening || ticket.generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(tenantId, { events, expiresAt: Date.now() + this.ttlMs });
  }

  /** Forgets one tenant, or everything (no argument). */
  invalidate(tenantId?: string): void {
    this.generation++;
    if (tenantId === undefined) this.entries.clear();
    else this.entries.delete(tenantId);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.listening = false;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private listen(): void {
    if (this.ttlMs <= 0 || this.closed || this.client || Date.now() < this.retryAfter) return;
    const client = new Client({
      connectionString: this.database.url,
      connectionTimeoutMillis: this.database.connectTimeoutMs,
      keepAlive: true,
      application_name: 'depot-webhook-cache',
    });
    this.client = client;
    client.on('notification', (message: Notification) => {
      if (message.channel !== WEBHOOK_CHANGES_CHANNEL) return;
      this.invalidate(message.payload && message.payload !== '*' ? message.payload : undefined);
    });
    client.on('error', (error: Error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client
      .connect()
      .then(() => client.query(`LISTEN ${WEBHOOK_CHANGES_CHANNEL}`))
      .then(() => {
        if (this.client !== client) return;
        // Whatever changed before LISTEN took effect was never cached: start empty.
        this.invalidate();
        this.listening = true;
      })
      .catch((error: unknown) => this.lost(client, error));
  }

  private lost(client: Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    this.invalidate();
    this.retryAfter = Date.now() + RECONNECT_DELAY_MS;
    client.end().catch(() => undefined);
    if (!this.closed) {
      this.logger.warn(
        { err: error },
        'webhook subscriptions cache off: lost the connection that listens for endpoint changes',
      );
    }
  }
}
