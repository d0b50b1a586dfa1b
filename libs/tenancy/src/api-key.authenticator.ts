import { timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuthConfig } from '@depot/config';
import { EntityReader } from '@depot/database';
import { currentLogContext, type LogContext, withSyncLogContext } from '@depot/observability';
import { ApiKeyCache } from './api-key.cache';
import { apiKeyPrefix, digestEquals, digestMatches, hashApiKey, keyDigest } from './api-key.token';
import { ApiKeyEntity } from './entities/api-key.entity';
import type { Principal } from './principal';

/** `lastUsedAt` is kept to this precision, so a busy key costs one write a minute, not one a request. */
export const LAST_USED_PRECISION_MS = 60_000;

/** Compared against when no key has the presented prefix, so a miss costs what a hit does. */
const NO_SUCH_KEY_HASH = hashApiKey('no such key');
const ADMIN: Principal = Object.freeze({ kind: 'admin' });

/**
 * Resolves a bearer token to the admin or to a tenant key. Every comparison of secret
 * material is constant-time; the key's row is found by its visible prefix (one indexed
 * lookup, or {@link ApiKeyCache} while its rows are known current), then the presented
 * key's hash is compared with the stored one.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly logger = new Logger(ApiKeyAuthenticator.name);
  /** When this process last recorded each key's use, so concurrent requests do not all write. */
  private readonly touched = new Map<string, number>();
  /** Every request reads its key: the lean reader, not the query builder. */
  private readonly reader: EntityReader<ApiKeyEntity>;
  private readonly adminDigest: Buffer;
  /**
   * Per cached row (the same object on every hit): its stored hash as bytes and the caller it
   * stands for, so that a request served from the cache decodes and builds neither.
   */
  private readonly verified = new WeakMap<ApiKeyEntity, { storedDigest: Buffer; principal: Principal }>();

  constructor(
    auth: AuthConfig,
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly cache: ApiKeyCache,
  ) {
    this.reader = new EntityReader(keys);
    this.adminDigest = keyDigest(auth.adminApiKey);
  }

  /** The caller, or null for an unknown, malformed or revoked key. */
  async authenticate(token: string): Promise<Principal | null> {
    // One hash serves both comparisons: a tenant key's stored hash is this same digest.
    const digest = keyDigest(token);
    if (timingSafeEqual(digest, this.adminDigest)) return ADMIN;
    const prefix = apiKeyPrefix(token);
    if (!prefix) return null;
    // Taken now: a request that passes its id explicitly has it only before the first await.
    const log = currentLogContext();

    const key = this.cache.get(prefix) ?? (await this.read(prefix));
    if (!key) {
      digestMatches(digest, NO_SUCH_KEY_HASH);
      return null;
    }
    const { storedDigest, principal } = this.verifiedOf(key);
    if (!digestEquals(digest, storedDigest) || key.revokedAt !== null) return null;

    this.recordUse(key, log);
    return principal;
  }

  private verifiedOf(key: ApiKeyEntity): { storedDigest: Buffer; principal: Principal } {
    let verified = this.verified.get(key);
    if (!verified) {
      verified = {
        storedDigest: Buffer.from(key.keyHash, 'hex'),
        principal: Object.freeze({
          kind: 'tenant',
          tenantId: key.tenantId,
          keyId: key.id,
          scopes: key.scopes,
        }),
      };
      this.verified.set(key, verified);
    }
    return verified;
  }

  private async read(prefix: string): Promise<ApiKeyEntity | null> {
    const ticket = this.cache.begin();
    const key = await this.reader.findOne('prefix = $1', [prefix]);
    // Only rows that exist are kept: unknown prefixes cannot fill the cache.
    if (key) this.cache.store(ticket, key);
    return key;
  }

  /** Sets `lastUsedAt` at most once a minute per key, off the request's path. */
  private recordUse(key: ApiKeyEntity, log: LogContext): void {
    const now = Date.now();
    const lastKnown = Math.max(key.lastUsedAt?.getTime() ?? 0, this.touched.get(key.id) ?? 0);
    if (now - lastKnown < LAST_USED_PRECISION_MS) return;
    this.touched.set(key.id, now);
    if (this.touched.size > 10_000) this.touched.clear();
    this.keys
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: () => 'now()' })
      .where('id = :id', { id: key.id })
      // Other replicas may have just done it.
      .andWhere(`(last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`)
      .execute()
      .catch((error: unknown) =>
        withSyncLogContext(log, () =>
          this.logger.warn({ err: error, keyId: key.id }, 'could not record key use'),
        ),
      );
  }
}
