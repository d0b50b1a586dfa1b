import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class FilesPurgedAt1795895245893 implements MigrationInterface {
  name = 'FilesPurgedAt1795895245893';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "files" ADD "purged_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "ix_files_unpurged" ON "files"  ("deleted_at") WHERE status = 'deleted' AND purged_at IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_files_unpurged"`);
    await queryRunner.query(`ALTER TABLE "files" DROP COLUMN "purged_at"`);
  }
}
