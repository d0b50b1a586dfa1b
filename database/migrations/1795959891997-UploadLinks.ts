import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class UploadLinks1795959891997 implements MigrationInterface {
  name = 'UploadLinks1795959891997';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "upload_links" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "file_name" character varying(255), "max_size_bytes" bigint, "allowed_types" text array NOT NULL DEFAULT '{}', "file_expires_at" TIMESTAMP WITH TIME ZONE, "file_expires_in_seconds" integer, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "file_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8d22c646fe199ad0fb2b863f57f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_upload_links_token_hash" ON "upload_links"  ("token_hash") `,
    );
    await queryRunner.query(
      `ALTER TABLE "upload_links" ADD CONSTRAINT "fk_upload_links_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "upload_links" DROP CONSTRAINT "fk_upload_links_tenant"`);
    await queryRunner.query(`DROP INDEX "public"."ux_upload_links_token_hash"`);
    await queryRunner.query(`DROP TABLE "upload_links"`);
  }
}
