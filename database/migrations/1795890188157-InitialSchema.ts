import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class InitialSchema1795890188157 implements MigrationInterface {
  name = 'InitialSchema1795890188157';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tenants" ("id" uuid NOT NULL, "name" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_53be67a04681c66b87ee27c9321" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "prefix" character varying(32) NOT NULL, "key_hash" character(64) NOT NULL, "scopes" text array NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_api_keys_prefix" ON "api_keys"  ("prefix") `);
    await queryRunner.query(`CREATE INDEX "ix_api_keys_tenant" ON "api_keys"  ("tenant_id", "created_at") `);
    await queryRunner.query(
      `CREATE TYPE "public"."file_status" AS ENUM('pending', 'processing', 'ready', 'failed', 'deleted')`,
    );
    await queryRunner.query(
      `CREATE TABLE "files" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "name" character varying(255) NOT NULL, "size" bigint, "content_type" character varying(255) NOT NULL, "detected_type" character varying(255), "sha256" character(64), "status" "public"."file_status" NOT NULL DEFAULT 'pending', "failure_reason" text, "disk" character varying(64) NOT NULL, "storage_key" character varying(1024) NOT NULL, "idempotency_key" character varying(255), "expires_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6c16b9093a142e0e7613b04a3d9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_files_tenant_idempotency_key" ON "files"  ("tenant_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_files_expires" ON "files"  ("expires_at") WHERE expires_at IS NOT NULL AND status <> 'deleted'`,
    );
    await queryRunner.query(`CREATE INDEX "ix_files_status_updated" ON "files"  ("status", "updated_at") `);
    await queryRunner.query(
      `CREATE INDEX "ix_files_tenant_status_created" ON "files"  ("tenant_id", "status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_files_tenant_created" ON "files"  ("tenant_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "scheduler_runs" ("id" uuid NOT NULL, "task" character varying(64) NOT NULL, "scheduled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "enqueued_at" TIMESTAMP WITH TIME ZONE, "job_id" character varying(255), "claimed_by" character varying(255) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_550b2024879eb3cb8ef2c9f832b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scheduler_runs_scheduled" ON "scheduler_runs"  ("scheduled_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_scheduler_runs_task_scheduled" ON "scheduler_runs"  ("task", "scheduled_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "webhooks" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "url" text NOT NULL, "events" text array NOT NULL, "secret" character varying(128) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9e8795cfc899ab7bdaa831e8527" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_webhooks_tenant" ON "webhooks"  ("tenant_id", "created_at") `);
    await queryRunner.query(
      `CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'succeeded', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL, "webhook_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "event" character varying(64) NOT NULL, "payload" jsonb NOT NULL, "status" "public"."webhook_delivery_status" NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "last_status_code" integer, "last_error" text, "attempt_log" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "delivered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_webhook_deliveries_webhook_created" ON "webhook_deliveries"  ("webhook_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "fk_api_keys_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "files" ADD CONSTRAINT "fk_files_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhooks" ADD CONSTRAINT "fk_webhooks_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "fk_webhook_deliveries_webhook" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "fk_webhook_deliveries_webhook"`,
    );
    await queryRunner.query(`ALTER TABLE "webhooks" DROP CONSTRAINT "fk_webhooks_tenant"`);
    await queryRunner.query(`ALTER TABLE "files" DROP CONSTRAINT "fk_files_tenant"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "fk_api_keys_tenant"`);
    await queryRunner.query(`DROP INDEX "public"."ix_webhook_deliveries_webhook_created"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TYPE "public"."webhook_delivery_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_webhooks_tenant"`);
    await queryRunner.query(`DROP TABLE "webhooks"`);
    await queryRunner.query(`DROP INDEX "public"."ux_scheduler_runs_task_scheduled"`);
    await queryRunner.query(`DROP INDEX "public"."ix_scheduler_runs_scheduled"`);
    await queryRunner.query(`DROP TABLE "scheduler_runs"`);
    await queryRunner.query(`DROP INDEX "public"."ix_files_tenant_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_files_tenant_status_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_files_status_updated"`);
    await queryRunner.query(`DROP INDEX "public"."ix_files_expires"`);
    await queryRunner.query(`DROP INDEX "public"."ux_files_tenant_idempotency_key"`);
    await queryRunner.query(`DROP TABLE "files"`);
    await queryRunner.query(`DROP TYPE "public"."file_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_keys_tenant"`);
    await queryRunner.query(`DROP INDEX "public"."ux_api_keys_prefix"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP TABLE "tenants"`);
  }
}
