import { randomUUID } from 'node:crypto';
import type { ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type DepotConfig, loadConfig } from '@depot/config';
import { setConfig } from '../../../libs/config/src/config.state';
import { JobQueueService, migrateQueueBackend } from '@depot/queue';
import { testEnv } from '../../support/test-env';

/**
 * A Nest testing module over this run's database and storage, with BullMQ on a queue prefix
 * of its own, so the processors it hosts never take jobs from the apps other test files
 * start, and theirs never take its jobs. `configure` adjusts the config before anything reads it.
 */
export async function startWorkerHarness(
  name: string,
  metadata: ModuleMetadata,
  configure: (config: DepotConfig) => DepotConfig = (config) => config,
): Promise<WorkerHarness> {
  const { config } = loadConfig({ env: process.env });
  const prefix = `${testEnv().queuePrefix}-${name}`;
  const harnessConfig = configure({ ...config, queue: { ...config.queue, prefix } });
  // On the postgres backend the prefix names a schema of its own, created as db:setup would.
  await migrateQueueBackend(harnessConfig);
  setConfig(harnessConfig);
  const module = await Test.createTestingModule(metadata).compile();
  await module.init();
  return new WorkerHarness(module, prefix);
}

export class WorkerHarness {
  constructor(
    readonly module: TestingModule,
    readonly queuePrefix: string,
  ) {}

  get dataSource(): DataSource {
    return this.module.get<DataSource>(getDataSourceToken());
  }

  get jobs(): JobQueueService {
    return this.module.get(JobQueueService, { strict: false });
  }

  /** A tenant row, created at `createdAt`. */
  async tenant(createdAt: Date = new Date(), name = `tenant ${randomUUID().slice(0, 8)}`): Promise<string> {
    const id = randomUUID();
    await this.dataSource.query(
      'INSERT INTO tenants (id, name, created_at, updated_at) VALUES ($1, $2, $3, $3)',
      [id, name, createdAt],
    );
    return id;
  }

  /** Closes the module and removes every key under this harness's queue prefix. */
  async close(): Promise<void> {
    for (const queue of this.jobs.all()) await queue.obliterate({ force: true });
    await this.module.close();
  }
}
