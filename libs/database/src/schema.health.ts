import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HealthIndicator } from '@depot/observability';

/**
 * Readiness: the database has the schema this build's entities need, so a new release waits
 * (not ready, no traffic) until the migration step has run, and the rollout goes on by itself
 * once it has. It asks TypeORM's schema builder what it would change (the check `db:check`
 * makes against the migrations) without changing anything. Once the schema has matched it is
 * not checked again: a later migration for a newer release must not take this one out of
 * service while both run side by side.
 */
@Injectable()
export class SchemaHealthIndicator implements HealthIndicator {
  readonly name = 'schema';
  private matched = false;

  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<void> {
    if (this.matched) return;
    const pending = (await this.dataSource.driver.createSchemaBuilder().log()).upQueries;
    if (pending.length > 0) {
      throw new Error(
        `the database lacks ${pending.length} schema change(s) this release needs: run the migrations (npm run db:setup)`,
      );
    }
    this.matched = true;
  }
}
