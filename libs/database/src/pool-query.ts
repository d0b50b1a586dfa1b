import type { Pool } from 'pg';
import { type DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Rows of one plain, parameterised statement, sent straight through the DataSource's own pg
 * pool: the rows are those `DataSource.query` gives (the same pool, the same pg type
 * parsers), and a failure is the same `QueryFailedError`, but without TypeORM's query
 * runner around each call (a runner object, connect and release, the logger and the
 * subscriber broadcast), about 3 % of the busiest list's CPU (bench/api-list.bench.ts).
 *
 * Where the DataSource logs queries (`database.logging`), or is no PostgreSQL one, the
 * statement goes through `DataSource.query` as usual, so that it is logged like any other.
 */
export async function poolRows<T>(
  dataSource: DataSource,
  sql: string,
  parameters: readonly unknown[],
): Promise<T[]> {
  if (dataSource.options.type !== 'postgres' || dataSource.options.logging) {
    return dataSource.query<T[]>(sql, [...parameters]);
  }
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  try {
    return (await pool.query<T & object>(sql, [...parameters])).rows;
  } catch (error) {
    throw new QueryFailedError(sql, [...parameters], error as Error);
  }
}
