import { join } from 'node:path';
import { register } from 'tsconfig-paths';

/**
 * Jest's global setup and teardown run outside its module system, so `moduleNameMapper`
 * does not apply there; this maps `@depot/<lib>` the same way for them.
 */
register({ baseUrl: join(__dirname, '../..'), paths: { '@depot/*': ['libs/*/src'] } });
