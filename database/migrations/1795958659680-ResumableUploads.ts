import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Resumable uploads: a file is `uploading` until its last byte arrives, with the bytes
 * received so far. Runs outside a transaction: PostgreSQL lets a new enum value be used
 * (here by the partial index) only once the `ADD VALUE` has committed.
 */
export class ResumableUploads1795958659680 implements MigrationInterface {
  name = 'ResumableUploads1795958659680';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TYPE "public"."file_status" ADD VALUE IF NOT EXISTS 'uploading' BEFORE 'pending'`,
    );
    await queryRunner.query(`ALTER TABLE "files" ADD "received_bytes" bigint`);
    await queryRunner.query(
      `CREATE INDEX "ix_files_uploading_created" ON "files"  ("created_at") WHERE status = 'uploading'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_files_uploading_created"`);
    await queryRunner.query(`DELETE FROM "files" WHERE "status" = 'uploading'`);
    await queryRunner.query(`ALTER TABLE "files" DROP COLUMN "received_bytes"`);
    await queryRunner.query(`DROP INDEX "public"."ix_files_tenant_status_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_files_status_updated"`);
    await queryRunner.query(`DROP INDEX "public"."ix_files_expires"`);
    await queryRunner.query(`DROP INDEX "public"."ix_files_unpurged"`);
    await queryRunner.query(
      `CREATE TYPE "public"."file_status_old" AS ENUM('pending', 'processing', 'ready', 'failed', 'deleted')`,
    );
    await queryRunner.query(`ALTER TABLE "files" ALTER COLUMN "status" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "files" ALTER COLUMN "status" TYPE "public"."file_status_old" USING "status"::"text"::"public"."file_status_old"`,
    );
    await queryRunner.query(`ALTER TABLE "files" ALTER COLUMN "status" SET DEFAULT 'pending'`);
    await queryRunner.query(`DROP TYPE "public"."file_status"`);
    await queryRunner.query(`ALTER TYPE "public"."file_status_old" RENAME TO "file_status"`);
    await queryRunner.query(`CREATE INDEX "ix_files_status_updated" ON "files"  ("status", "updated_at") `);
    await queryRunner.query(
      `CREATE INDEX "ix_files_expires" ON "files"  ("expires_at") WHERE expires_at IS NOT NULL AND status <> 'deleted'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_files_unpurged" ON "files"  ("deleted_at") WHERE status = 'deleted' AND purged_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_files_tenant_status_created" ON "files"  ("tenant_id", "status", "created_at", "id") `,
    );
  }
}
