import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import { ApiKeyCache } from './api-key.cache';
import { generateApiKey } from './api-key.token';
import { ApiKeyEntity, type ApiKeyScope } from './entities/api-key.entity';

export interface IssueApiKeyInput {
  name: string;
  /** What the key may do: exactly these, never a default. */
  scopes: readonly ApiKeyScope[];
}

export interface IssuedApiKey {
  apiKey: ApiKeyEntity;
  /** The secret key itself: returned once, here, and never again. */
  key: string;
}

const UNIQUE_VIOLATION = '23505';
const PREFIX_ATTEMPTS = 3;

/** Issues, lists and revokes tenant API keys. Authentication is {@link ApiKeyAuthenticator}'s. */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly cache: ApiKeyCache,
  ) {}

  /** Issues a key for an existing tenant (the caller checks it exists). */
  async issue(tenantId: string, input: IssueApiKeyInput): Promise<IssuedApiKey> {
    const scopes = [...new Set(input.scopes)].sort();
    // 48 random bits of prefix: a collision is rare, and the unique index makes it harmless.
    for (let attempt = 1; ; attempt++) {
      const { key, prefix, hash } = generateApiKey();
      const apiKey = this.keys.create({
        id: randomUUID(),
        tenantId,
        name: input.name,
        prefix,
        keyHash: hash,
        scopes,
        lastUsedAt: null,
        revokedAt: null,
      });
      try {
        return { apiKey: await this.keys.save(apiKey), key };
      } catch (error) {
        if (attempt >= PREFIX_ATTEMPTS || !isPrefixCollision(error)) throw error;
      }
    }
  }

  /** A tenant's keys, newest first, revoked ones included. */
  listForTenant(tenantId: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: { tenantId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /**
   * Revokes a key: it is refused from the next request on. Revoking a revoked key is a
   * no-op. Resolves to false when there is no such key. Every other process forgets the
   * key when the database's change notification reaches it; this one forgets it at once.
   */
  async revoke(id: string): Promise<boolean> {
    const result = await this.keys
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'COALESCE(revoked_at, now())' })
      .where('id = :id', { id })
      .execute();
    this.cache.invalidate();
    return (result.affected ?? 0) > 0;
  }
}

function isPrefixCollision(error: unknown): boolean {
  const driverError =
    error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : {};
  return driverError.code === UNIQUE_VIOLATION && driverError.constraint === 'ux_api_keys_prefix';
}
