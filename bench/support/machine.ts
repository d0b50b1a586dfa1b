import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { loadConfig } from '@depot/config';
import { ROOT } from '../../test/support/app-launch';

function packageVersion(name: string): string {
  try {
    const text = readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8');
    return (JSON.parse(text) as { version: string }).version;
  } catch {
    return '?';
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version.split(' ')[0] ?? '?';
  } catch {
    return '?';
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisVersion(url: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
  } catch {
    return '?';
  } finally {
    redis.disconnect();
  }
}

/** One line naming the machine and the versions a run measured, for the top of the results. */
export async function describeMachine(): Promise<string> {
  const defaults = loadConfig({ env: { APP_ENV: 'development' } }).config;
  const databaseUrl = new URL(process.env.DATABASE_URL ?? defaults.database.url);
  databaseUrl.pathname = '/postgres';
  const [pg, redis] = await Promise.all([
    postgresVersion(databaseUrl.toString()),
    redisVersion(process.env.REDIS_URL ?? defaults.redis.url),
  ]);
  const cores = cpus();
  return [
    `${cores.length} cores (${cores[0]?.model.trim() ?? '?'})`,
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`,
    `Node ${process.version}`,
    `Nest ${packageVersion('@nestjs/core')}`,
    `Fastify ${packageVersion('fastify')}`,
    `BullMQ ${packageVersion('bullmq')}`,
    `TypeORM ${packageVersion('typeorm')}`,
    `PostgreSQL ${pg}`,
    `Redis ${redis}`,
    new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  ].join(' · ');
}
