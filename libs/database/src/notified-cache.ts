import { Logger } from '@nestjs/common';
import { Client, type Notification } from 'pg';
import type { DatabaseConfig } from '@depot/config';

/** Entries kept at most; beyond it the oldest go first. */
const MAX_ENTRIES = 10_000;
/** After the listening connection failed, wait this long before connecting again. */
const RECONNECT_DELAY_MS = 1_000;

export interface NotifiedCacheOptions {
  /**
   * The channel a trigger notifies on every change to the cached rows: the payload is the
   * key whose entry is stale, or `*` (a TRUNCATE) for all of them.
   */
  channel: string;
  /** What is cached, for the listening connection's `application_name` and the log (`webhook-subscriptions`). */
  name: string;
  /** An entry's longest life; 0 turns the cache off. */
  ttlMs: number;
  database: DatabaseConfig;
}

/** A snapshot to store a read under: see {@link NotifiedCache.begin}. */
export interface CacheTicket {
  readonly generation: number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A per-process cache of rows that every process empties as soon as one of them changes:
 * a trigger NOTIFYs {@link NotifiedCacheOptions.channel}, and each process LISTENs.
 *
 * The contract: entries are used only while this process listens. The first lookups
 * connect (lazily, so processes that never ask open no connection), and until `LISTEN` is
 * confirmed nothing is cached. When the connection errs or ends, the cache is emptied and
 * bypassed until it is back (changes may have been missed meanwhile). A read that was in
 * flight when a change arrived is not stored (the generation moved), so a row read just
 * before a change cannot outlive it. `ttlMs` bounds an entry's age for the case nobody can
 * detect (a connection that stops delivering without failing).
 */
export class NotifiedCache<V> {
  private readonly logger: Logger;
  private readonly entries = new Map<string, Entry<V>>();
  private generation = 0;
  private listening = false;
  private client?: Client;
  private retryAfter = 0;
  private closed = false;

  constructor(private readonly options: NotifiedCacheOptions) {
    this.logger = new Logger(`NotifiedCache(${options.name})`);
  }

  /** Whether entries are being used: the cache is on and this process is listening for changes. */
  get active(): boolean {
    return this.listening;
  }

  /** The cached value for a key, if any and fresh. Starts listening if it has not yet. */
  get(key: string): V | undefined {
    if (!this.listening) {
      this.listen();
      return undefined;
    }
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Call before reading from the database; pass the ticket to {@link store}. */
  begin(): CacheTicket {
    return { generation: this.generation };
  }

  /** Keeps a value read since `ticket`, unless a change arrived meanwhile or nobody listens. */
  store(ticket: CacheTicket, key: string, value: V): void {
    if (!this.listening || ticket.generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: Date.now() + this.options.ttlMs });
  }

  /**
   * Forgets one key, or everything (no argument). The notification does this in every
   * process; a process that made the change calls it too, so that its own next read does
   * not wait for the notification's round trip.
   */
  invalidate(key?: string): void {
    this.generation++;
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private listen(): void {
    const { channel, database, ttlMs, name } = this.options;
    if (ttlMs <= 0 || this.closed || this.client || Date.now() < this.retryAfter) return;
    const client = new Client({
      connectionString: database.url,
      connectionTimeoutMillis: database.connectTimeoutMs,
      keepAlive: true,
      application_name: `depot-${name}-cache`,
    });
    this.client = client;
    client.on('notification', (message: Notification) => {
      if (message.channel !== channel) return;
      this.invalidate(message.payload && message.payload !== '*' ? message.payload : undefined);
    });
    client.on('error', (error: Error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client
      .connect()
      .then(() => client.query(`LISTEN ${channel}`))
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
        `${this.options.name} cache off: lost the connection that listens for changes`,
      );
    }
  }
}
