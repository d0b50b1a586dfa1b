import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { KeysetCursors, newestFirst, type Page, type PageRequest } from '@depot/database';
import { TenantEntity } from './entities/tenant.entity';

/** What the operator may change on a tenant; only what is given changes (null removes a cap). */
export interface TenantChanges {
  name?: string;
  quota?: { maxBytes?: number | null; maxFiles?: number | null };
}

@Injectable()
export class TenantsService {
  constructor(
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    private readonly cursors: KeysetCursors,
  ) {}

  async create(name: string): Promise<TenantEntity> {
    const tenant = this.tenants.create({ id: randomUUID(), name });
    return this.tenants.save(tenant);
  }

  /** Newest first. */
  list(page: PageRequest): Promise<Page<TenantEntity>> {
    return newestFirst(this.tenants.createQueryBuilder('tenant'), page, this.cursors);
  }

  async get(id: string): Promise<TenantEntity | null> {
    return this.tenants.findOneBy({ id });
  }

  /**
   * Renames the tenant or sets its quota; resolves to null when there is no such tenant. A
   * quota below what the tenant already holds refuses new uploads and keeps what is stored.
   */
  async update(id: string, changes: TenantChanges): Promise<TenantEntity | null> {
    const set: Partial<TenantEntity> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.quota?.maxBytes !== undefined) set.quotaMaxBytes = changes.quota.maxBytes;
    if (changes.quota?.maxFiles !== undefined) set.quotaMaxFiles = changes.quota.maxFiles;
    if (Object.keys(set).length > 0) {
      const result = await this.tenants.update({ id }, set);
      if (!result.affected) return null;
    }
    return this.tenants.findOneBy({ id });
  }

  async exists(id: string): Promise<boolean> {
    return this.tenants.existsBy({ id });
  }
}
