import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Client, type Notification } from 'pg';
import { AuthConfig, DatabaseConfig } from '@depot/config';
import type { ApiKeyEntity } from './entities/api-key.entity';

/**
 * The channel the `api_keys` trigger (migration ApiKeyChangeNotifications) notifies on
 * every change that matters to authentication: revocation, deletion (its tenant's too),
 * new scopes, hash or prefix. The payload is the key's prefix, or `*` for a TRUNCATE.
 */
export const API_KEY_CHANGES_CHANNEL = 'depot_api_keys';
/** Entries kept at most; beyond it the oldest go first. */
const MAX_ENTRIES = 10_000;
/** After the listening connection failed, wait this long before connecting again. */
const RECONNECT_DELAY_MS = 1_000;

interface Entry {
  key: ApiKeyEntity;
  expiresAt: number;
}

/** A snapshot to store a read under: see {@link ApiKeyCache.begin}. */
export interface CacheTicket {
  readonly generation: number;
}

/**
 * Verified-key rows by prefix, shared by every request of this process, and emptied in
 * every process as soon as a key changes.
 *
 * The contract: a revoked key is refused by every replica within one second. Entries are
 * used only while this process LISTENs on {@link API_KEY_CHANGES_CHANNEL}: the first
 * lookups connect (lazily, so processes that never authenticate open no connection), and
 * until `LISTEN` is confirmed nothing is cached. When the connection errs or ends, the
 * cache is emptied and bypassed until it is back (changes may have been missed meanwhile).
 * A read that was in flight when a change arrived is not stored (the generation moved),
 * so a row read just before a revocation cannot outlive it. `auth.keyCacheTtlMs` bounds
 * an entry's age for the case nobody can detect (a connection that stops delivering
 * without failing); 0 turns the cache off.
 */
@Injectable()
export class ApiKeyCache implements OnModuleDestroy {
  private readonly logger = new Logger(ApiKeyCache.name);
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private generation = 0;
  private listening = false;
  private client?: Client;
  private retryAfter = 0;
  private closed = false;

  constructor(
    auth: AuthConfig,
    private readonly database: DatabaseConfig,
  ) {
    this.ttlMs = auth.keyCacheTtlMs;
  }

  /** Whether entries are being used: the cache is on and this process is listening for changes. */
  get active(): boolean {
    return this.listening;
  }

  /** The cached row for a prefix, if any and fresh. Starts listening if it has not yet. */
  get(prefix: string): ApiKeyEntity | undefined {
    if (!this.listening) {
      this.listen();
      return undefined;
    }
    const entry = this.entries.get(prefix);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(prefix);
      return undefined;
    }
    return entry.key;
  }

  /** Call before reading a row from the database; pass the ticket to {@link store}. */
  begin(): CacheTicket {
    return { generation: this.generation };
  }

  /** Keeps a row read since `ticket`, unless a change arrived meanwhile or nobody listens. */
  store(ticket: CacheTicket, key: ApiKeyEntity): void {
    if (!this.listening || ticket.generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key.prefix, { key, expiresAt: Date.now() + this.ttlMs });
  }

  /**
   * Forgets one prefix, or everything (no argument). The trigger's notification does this
   * in every process; a process that changed a key calls it too, so that its own next
   * request does not wait for the notification's round trip.
   */
  invalidate(prefix?: string): void {
    this.generation++;
    if (prefix === undefined) this.entries.clear();
    else this.entries.delete(prefix);
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
      application_name: 'depot-key-cache',
    });
    this.client = client;
    client.on('notification', (message: Notification) => {
      if (message.channel !== API_KEY_CHANGES_CHANNEL) return;
      this.invalidate(message.payload && message.payload !== '*' ? message.payload : undefined);
    });
    client.on('error', (error: Error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client
      .connect()
      .then(() => client.query(`LISTEN ${API_KEY_CHANGES_CHANNEL}`))
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
      this.logger.warn({ err: error }, 'key cache off: lost the connection that listens for key changes');
    }
  }
}
