/**
 * `npm run db:seed`: a demo tenant and an API key with every scope, printed once, so the
 * README's curl walk works right after `npm start`. Development only: it refuses to run
 * with any other APP_ENV. Run it again for another key on the same tenant.
 */
import { loadConfigOrExit } from '@depot/config';
import { KeysetCursors } from '@depot/database';
import {
  API_KEY_SCOPES,
  ApiKeyCache,
  ApiKeyEntity,
  ApiKeysService,
  TenantEntity,
  TenantsService,
} from '@depot/tenancy';
import { createDataSource } from '../data-source';

const DEMO_TENANT = 'Demo';

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  if (config.app.env !== 'development') {
    console.error(
      `db:seed runs only with APP_ENV=development (this is ${config.app.env}); it creates a known tenant.`,
    );
    return 1;
  }
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  try {
    const tenants = new TenantsService(
      dataSource.getRepository(TenantEntity),
      new KeysetCursors([config.storage.signingSecret]),
    );
    const apiKeys = new ApiKeysService(
      dataSource.getRepository(ApiKeyEntity),
      // This short-lived script never authenticates, so its cache never connects.
      new ApiKeyCache(config.auth, config.database),
    );
    const existing = await dataSource.getRepository(TenantEntity).findOneBy({ name: DEMO_TENANT });
    const tenant = existing ?? (await tenants.create(DEMO_TENANT));
    const { apiKey, key } = await apiKeys.issue(tenant.id, {
      name: 'demo (db:seed)',
      scopes: API_KEY_SCOPES,
    });

    const api = config.api.publicUrl.replace(/\/+$/, '');
    console.log(`tenant   ${tenant.name} ${tenant.id}${existing ? ' (existing)' : ''}`);
    console.log(`api key  ${key}`);
    console.log(`scopes   ${apiKey.scopes.join(', ')}`);
    console.log('');
    console.log('The key is shown only now. Try:');
    console.log(`  export DEPOT_KEY=${key}`);
    console.log(`  curl -F file=@README.md -H "Authorization: Bearer $DEPOT_KEY" ${api}/v1/files`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:seed failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
