import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { KeysetCursors, newestFirst, type Page, type PageRequest } from '@depot/database';
import { TenantEntity } from './entities/tenant.entity';

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

  async exists(id: string): Promise<boolean> {
    return this.tenants.existsBy({ id });
  }
}
