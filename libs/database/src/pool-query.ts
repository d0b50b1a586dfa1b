import type { Pool } from 'pg';
import { type DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** How {@link poolRows} sends a statement. */
export interface PoolQueryOptions {
  /**
   * Send it as a named prepared statement: each pooled connection parses and plans it once
   * and then only binds and executes it, instead of the client sending its text and the
   * server parsing it on every call. Only for fixed SQL (a constant, not text built from a
   * request): every distinct text stays prepared on every connection for its lifetime.
   */
  prepared?: boolean;
}

/** The name of each prepared statement's text: one name per text, so two texts never share one. */
const statementNames = new Map<string, string>();

function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `depot_${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  return name;
}

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
  options: PoolQueryOptions = {},
): Promise<T[]> {
  if (dataSource.options.type !== 'postgres' || dataSource.options.logging) {
    return dataSource.query<T[]>(sql, [...parameters]);
  }
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const values = [...parameters];
  try {
    const result = options.prepared
      ? await pool.query<T & object>({ name: statementName(sql), text: sql, values })
      : await pool.query<T & object>(sql, values);
    return result.rows;
  } catch (error) {
    throw new QueryFailedError(sql, values, error as Error);
  }
}
