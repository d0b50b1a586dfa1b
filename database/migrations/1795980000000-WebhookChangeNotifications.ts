import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Every change to a tenant's webhook endpoints (one created, deleted, its events changed,
 * its tenant deleted by cascade) notifies `depot_webhooks` with the tenant's id, at commit,
 * whichever code or operator made it; `*` for a TRUNCATE. The worker's cache of which
 * events a tenant's endpoints take (libs/webhooks WebhookSubscriptionsCache) listens and
 * forgets the tenant in every process.
 */
export class WebhookChangeNotifications1795980000000 implements MigrationInterface {
  name = 'WebhookChangeNotifications1795980000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION "webhooks_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify('depot_webhooks', '*');
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          PERFORM pg_notify('depot_webhooks', OLD.tenant_id::text);
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.tenant_id IS DISTINCT FROM OLD.tenant_id) THEN
          PERFORM pg_notify('depot_webhooks', NEW.tenant_id::text);
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER "webhooks_notify_change" AFTER INSERT OR UPDATE OR DELETE ON "webhooks" FOR EACH ROW EXECUTE FUNCTION "webhooks_notify_change"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "webhooks_notify_truncate" AFTER TRUNCATE ON "webhooks" FOR EACH STATEMENT EXECUTE FUNCTION "webhooks_notify_change"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "webhooks_notify_truncate" ON "webhooks"`);
    await queryRunner.query(`DROP TRIGGER "webhooks_notify_change" ON "webhooks"`);
    await queryRunner.query(`DROP FUNCTION "webhooks_notify_change"()`);
  }
}
