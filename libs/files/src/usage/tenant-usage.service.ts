import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TenantEntity } from '@depot/tenancy';
import { BucketEntity } from '../buckets/bucket.entity';

export interface TenantUsage {
  bytes: number;
  files: number;
  quota: { maxBytes: number | null; maxFiles: number | null };
  buckets: { name: string; bytes: number; files: number }[];
}

/** What a tenant holds, from its usage counters (no scan of its files). */
@Injectable()
export class TenantUsageService {
  constructor(
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    @InjectRepository(BucketEntity) private readonly buckets: Repository<BucketEntity>,
  ) {}

  /** The tenant's usage, or null when there is no such tenant. */
  async usage(tenantId: string): Promise<TenantUsage | null> {
    const [tenant, buckets] = await Promise.all([
      this.tenants.findOneBy({ id: tenantId }),
      this.buckets.find({ where: { tenantId }, order: { name: 'ASC' } }),
    ]);
    if (!tenant) return null;
    return {
      bytes: tenant.usedBytes,
      files: tenant.usedFiles,
      quota: { maxBytes: tenant.quotaMaxBytes, maxFiles: tenant.quotaMaxFiles },
      buckets: buckets.map((bucket) => ({
        name: bucket.name,
        bytes: bucket.usedBytes,
        files: bucket.usedFiles,
      })),
    };
  }
}
