import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AuthConfig, DatabaseConfig } from '@depot/config';
import { type CacheTicket, NotifiedCache } from '@depot/database';
import type { ApiKeyEntity } from './entities/api-key.entity';

/**
 * The channel the `api_keys` trigger (migration ApiKeyChangeNotifications) notifies on
 * every change that matters to authentication: revocation, deletion (its tenant's too),
 * new scopes, hash or prefix. The payload is the key's prefix, or `*` for a TRUNCATE.
 */
export const API_KEY_CHANGES_CHANNEL = 'depot_api_keys';

/**
 * Verified-key rows by prefix, shared by every request of this process, and emptied in
 * every process as soon as a key changes ({@link NotifiedCache}, on
 * {@link API_KEY_CHANGES_CHANNEL}).
 *
 * The contract: a revoked key is refused by every replica within one second. Entries are
 * used only while this process listens for changes, and a row read just before a
 * revocation is never stored. `auth.keyCacheTtlMs` bounds an entry's age; 0 turns the
 * cache off.
 */
@Injectable()
export class ApiKeyCache implements OnModuleDestroy {
  private readonly cache: NotifiedCache<ApiKeyEntity>;

  constructor(auth: AuthConfig, database: DatabaseConfig) {
    this.cache = new NotifiedCache({
      channel: API_KEY_CHANGES_CHANNEL,
      name: 'key',
      ttlMs: auth.keyCacheTtlMs,
      database,
    });
  }

  /** Whether entries are being used: the cache is on and this process is listening for changes. */
  get active(): boolean {
    return this.cache.active;
  }

  /** The cached row for a prefix, if any and fresh. Starts listening if it has not yet. */
  get(prefix: string): ApiKeyEntity | undefined {
    return this.cache.get(prefix);
  }

  /** Call before reading a row from the database; pass the ticket to {@link store}. */
  begin(): CacheTicket {
    return this.cache.begin();
  }

  /** Keeps a row read since `ticket`, unless a change arrived meanwhile or nobody listens. */
  store(ticket: CacheTicket, key: ApiKeyEntity): void {
    this.cache.store(ticket, key.prefix, key);
  }

  /** Forgets one prefix, or everything; a process that changed a key calls it for its own next request. */
  invalidate(prefix?: string): void {
    this.cache.invalidate(prefix);
  }

  onModuleDestroy(): Promise<void> {
    return this.cache.close();
  }
}
