import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { type DatabaseConfig, getConfig } from '@depot/config';
import { dataSourceOptions } from '@depot/database';
import { ENTITIES } from './entities';

export const MIGRATIONS_GLOB = join(__dirname, 'migrations', '*.{ts,js}');

/** A DataSource with every entity and migration, for the CLI, `db:setup` and `db:check`. */
export function createDataSource(config: DatabaseConfig = getConfig().database): DataSource {
  return new DataSource({ ...dataSourceOptions(config), entities: ENTITIES, migrations: [MIGRATIONS_GLOB] });
}

// The TypeORM CLI (`-d database/data-source.ts`) reads the default export.
export default createDataSource();
