import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Buckets, file metadata, tenant quotas and usage counters.
 *
 * Data: every tenant gets its `default` bucket and every existing file is put in its
 * tenant's `default`; the usage counters (tenant and bucket) start from the files that are
 * not deleted. From then on a trigger creates `default` with each new tenant, in the
 * tenant's own transaction, whatever inserts it (the api, a seed, SQL).
 *
 * `q` (substring of the name) is served by a pg_trgm index when the server has the
 * extension (stock PostgreSQL ships it in contrib); without it the index is skipped and `q`
 * filters the rows the other conditions select.
 */

export class Buckets1795963830650 implements MigrationInterface {
  name = 'Buckets1795963830650';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "buckets" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "name" character varying(63) NOT NULL, "allowed_types" text array NOT NULL DEFAULT '{}', "max_file_size_bytes" bigint, "public" boolean NOT NULL DEFAULT false, "cache_max_age_seconds" integer NOT NULL DEFAULT '3600', "retention_days" integer, "used_bytes" bigint NOT NULL DEFAULT '0', "used_files" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6274370d823fcc89d22efd86580" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_buckets_tenant_name" ON "buckets"  ("tenant_id", "name") `,
    );
    await queryRunner.query(`ALTER TABLE "tenants" ADD "quota_max_bytes" bigint`);
    await queryRunner.query(`ALTER TABLE "tenants" ADD "quota_max_files" bigint`);
    await queryRunner.query(`ALTER TABLE "tenants" ADD "used_bytes" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "tenants" ADD "used_files" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "files" ADD "bucket_id" uuid`);
    await queryRunner.query(`ALTER TABLE "files" ADD "metadata" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "upload_links" ADD "bucket" character varying(63)`);
    await queryRunner.query(
      `CREATE INDEX "ix_files_bucket_created" ON "files"  ("bucket_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "buckets" ADD CONSTRAINT "fk_buckets_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "files" ADD CONSTRAINT "fk_files_bucket" FOREIGN KEY ("bucket_id") REFERENCES "buckets"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );

    await queryRunner.query(
      `INSERT INTO "buckets" ("id", "tenant_id", "name", "created_at", "updated_at") SELECT gen_random_uuid(), "id", 'default', "created_at", "created_at" FROM "tenants"`,
    );
    await queryRunner.query(
      `UPDATE "files" f SET "bucket_id" = b."id" FROM "buckets" b WHERE b."tenant_id" = f."tenant_id" AND b."name" = 'default'`,
    );
    await queryRunner.query(
      `UPDATE "buckets" b SET "used_bytes" = u.bytes, "used_files" = u.files FROM (SELECT "bucket_id", coalesce(sum("size"), 0) AS bytes, count(*) AS files FROM "files" WHERE "status" <> 'deleted' GROUP BY "bucket_id") u WHERE u."bucket_id" = b."id"`,
    );
    await queryRunner.query(
      `UPDATE "tenants" t SET "used_bytes" = u.bytes, "used_files" = u.files FROM (SELECT "tenant_id", sum("used_bytes") AS bytes, sum("used_files") AS files FROM "buckets" GROUP BY "tenant_id") u WHERE u."tenant_id" = t."id"`,
    );
    await queryRunner.query(`CREATE FUNCTION "depot_create_default_bucket"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "buckets" ("id", "tenant_id", "name", "created_at", "updated_at")
    VALUES (gen_random_uuid(), NEW."id", 'default', NEW."created_at", NEW."created_at");
  RETURN NEW;
END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_tenants_default_bucket" AFTER INSERT ON "tenants" FOR EACH ROW EXECUTE FUNCTION "depot_create_default_bucket"()`,
    );
    await queryRunner.query(`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX "ix_files_name_trgm" ON "files" USING gin (lower("name") gin_trgm_ops);
  END IF;
END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "public"."ix_files_name_trgm"`);
    await queryRunner.query(`DROP TRIGGER "tr_tenants_default_bucket" ON "tenants"`);
    await queryRunner.query(`DROP FUNCTION "depot_create_default_bucket"()`);
    await queryRunner.query(`ALTER TABLE "files" DROP CONSTRAINT "fk_files_bucket"`);
    await queryRunner.query(`ALTER TABLE "buckets" DROP CONSTRAINT "fk_buckets_tenant"`);
    await queryRunner.query(`DROP INDEX "public"."ix_files_bucket_created"`);
    await queryRunner.query(`ALTER TABLE "files" DROP COLUMN "metadata"`);
    await queryRunner.query(`ALTER TABLE "upload_links" DROP COLUMN "bucket"`);
    await queryRunner.query(`ALTER TABLE "files" DROP COLUMN "bucket_id"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "used_files"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "used_bytes"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "quota_max_files"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "quota_max_bytes"`);
    await queryRunner.query(`DROP INDEX "public"."ux_buckets_tenant_name"`);
    await queryRunner.query(`DROP TABLE "buckets"`);
  }
}
