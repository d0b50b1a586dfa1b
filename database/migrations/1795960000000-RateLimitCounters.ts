import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Rate-limit counters for the postgres queue backend (see
 * apps/api/src/http/rate-limit.store.ts): shared by every api process, like the
 * Redis counters they replace. Unlogged: counters are short-lived, and a crash that empties
 * them only resets the current windows.
 */
export class RateLimitCounters1795960000000 implements MigrationInterface {
  name = 'RateLimitCounters1795960000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "rate_limit_counters" ("key" text PRIMARY KEY, "count" integer NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_rate_limit_counters_expires_at" ON "rate_limit_counters" ("expires_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rate_limit_counters"`);
  }
}
