import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HealthIndicator } from '@depot/observability';

/** Readiness: PostgreSQL answers a trivial query through the app's pool. */
@Injectable()
export class DatabaseHealthIndicator implements HealthIndicator {
  readonly name = 'db';

  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
