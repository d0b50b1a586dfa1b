import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** requeueStuck looks for old pending deliveries; this keeps that off the settled ones. */
export class WebhookDeliveriesPendingIndex1795892097993 implements MigrationInterface {
  name = 'WebhookDeliveriesPendingIndex1795892097993';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_webhook_deliveries_pending" ON "webhook_deliveries"  ("created_at") WHERE status = 'pending'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_webhook_deliveries_pending"`);
  }
}
