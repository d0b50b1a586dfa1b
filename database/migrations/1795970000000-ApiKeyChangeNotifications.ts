import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Every change to an API key that matters to authentication (revocation, deletion, its
 * tenant's deletion by cascade, new scopes, hash or prefix) notifies `depot_api_keys`
 * with the key's prefix, at commit, whichever code or operator made it. The api's
 * verified-key cache (libs/tenancy ApiKeyCache) listens and forgets the key in every
 * process. `last_used_at` bookkeeping does not notify.
 */
export class ApiKeyChangeNotifications1795970000000 implements MigrationInterface {
  name = 'ApiKeyChangeNotifications1795970000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION "api_keys_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify('depot_api_keys', '*');
        ELSIF TG_OP = 'DELETE'
          OR (OLD.prefix, OLD.key_hash, OLD.scopes, OLD.tenant_id, OLD.revoked_at)
             IS DISTINCT FROM (NEW.prefix, NEW.key_hash, NEW.scopes, NEW.tenant_id, NEW.revoked_at) THEN
          PERFORM pg_notify('depot_api_keys', OLD.prefix);
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER "api_keys_notify_change" AFTER UPDATE OR DELETE ON "api_keys" FOR EACH ROW EXECUTE FUNCTION "api_keys_notify_change"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "api_keys_notify_truncate" AFTER TRUNCATE ON "api_keys" FOR EACH STATEMENT EXECUTE FUNCTION "api_keys_notify_change"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "api_keys_notify_truncate" ON "api_keys"`);
    await queryRunner.query(`DROP TRIGGER "api_keys_notify_change" ON "api_keys"`);
    await queryRunner.query(`DROP FUNCTION "api_keys_notify_change"()`);
  }
}
