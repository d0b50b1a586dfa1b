import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { QueryFailedError, type DataSource } from 'typeorm';
import { ConfigModule, loadConfig } from '@depot/config';
import { setConfig } from '../../../libs/config/src/config.state';
import { DatabaseModule, poolRows } from '@depot/database';

/**
 * `poolRows` with `prepared` on the real database: the statement is prepared once on the
 * connection and then only executed, with the same rows and the same errors as plain text.
 * One pooled connection, so that the session's prepared statements can be read back.
 */
describe('poolRows, prepared statements (real PostgreSQL)', () => {
  let module: TestingModule;
  let dataSource: DataSource;

  beforeAll(async () => {
    const { config } = loadConfig({ env: process.env });
    setConfig({ ...config, database: { ...config.database, poolSize: 1 } });
    module = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule] }).compile();
    await module.init();
    dataSource = module.get<DataSource>(getDataSourceToken());
  });
  afterAll(() => module.close());

  const SQUARE = 'SELECT $1::int * $1::int AS square';
  const SUM = 'SELECT $1::int + $2::int AS sum';

  async function preparedTexts(): Promise<string[]> {
    const rows = await poolRows<{ statement: string }>(
      dataSource,
      'SELECT statement FROM pg_prepared_statements',
      [],
    );
    return rows.map((row) => row.statement).sort();
  }

  it('answers as plain text does, preparing each text once on the connection', async () => {
    for (let n = 1; n <= 3; n++) {
      await expect(poolRows(dataSource, SQUARE, [n], { prepared: true })).resolves.toEqual([
        { square: n * n },
      ]);
    }
    // A second text gets a name of its own (a shared name would be refused by pg).
    await expect(poolRows(dataSource, SUM, [2, 3], { prepared: true })).resolves.toEqual([{ sum: 5 }]);
    await expect(poolRows(dataSource, SQUARE, [4], {})).resolves.toEqual([{ square: 16 }]);
    expect(await preparedTexts()).toEqual([SQUARE, SUM].sort());
  });

  it('fails as plain text does, with a QueryFailedError carrying the driver error', async () => {
    const failing = 'SELECT 1 / $1::int AS quotient';
    const error: unknown = await poolRows(dataSource, failing, [0], { prepared: true }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError).driverError).toMatchObject({ code: '22012' });
    await expect(poolRows(dataSource, failing, [2], { prepared: true })).resolves.toEqual([{ quotient: 0 }]);
  });
});
