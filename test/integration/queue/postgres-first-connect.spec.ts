import { connect, createServer, type Server, type Socket } from 'node:net';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { loadConfig } from '@depot/config';
import { migrateQueueBackend, queueSchemaName, useQueueBackend } from '@depot/queue';
import { testEnv } from '../../support/test-env';

/**
 * On the postgres backend, a Queue whose first connect fails (PostgreSQL restarting as an
 * app boots) works once PostgreSQL answers again, instead of failing every call until the
 * process restarts (libs/queue/src/postgres.backend.ts).
 */
describe('the postgres queue backend after a failed first connect', () => {
  const prefix = `first-connect-${process.pid}`;
  const database = new URL(testEnv().databaseUrl);
  let proxy: Server;
  let refusing = true;
  let queue: Queue | undefined;

  /** Drops every connection while `refusing`, then forwards them to the test database's server. */
  function startProxy(): Promise<number> {
    proxy = createServer((socket: Socket) => {
      if (refusing) {
        socket.destroy();
        return;
      }
      const upstream = connect(Number(database.port || 5432), database.hostname);
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    return new Promise((listening) =>
      proxy.listen(0, '127.0.0.1', () => listening((proxy.address() as { port: number }).port)),
    );
  }

  const configFor = (databaseUrl: string) =>
    loadConfig({
      env: { ...process.env, QUEUE_BACKEND: 'postgres', QUEUE_PREFIX: prefix, DATABASE_URL: databaseUrl },
    }).config;

  beforeAll(() => migrateQueueBackend(configFor(testEnv().databaseUrl)));

  afterAll(async () => {
    await queue?.close();
    await new Promise((closed) => proxy.close(closed));
    const client = new Client({ connectionString: testEnv().databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${queueSchemaName(prefix)} CASCADE`);
    await client.end();
  });

  it('fails while the server drops connections, and answers once it accepts them', async () => {
    const port = await startProxy();
    const viaProxy = new URL(testEnv().databaseUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(port);
    const { connection } = await useQueueBackend(configFor(viaProxy.toString()));
    queue = new Queue('files', { connection, prefix });
    queue.on('error', () => undefined);

    await expect(queue.getJobCounts('waiting')).rejects.toThrow();
    refusing = false;
    await expect(queue.getJobCounts('waiting')).resolves.toEqual({ waiting: 0 });
    await queue.add('probe', {});
    await expect(queue.getJobCounts('waiting')).resolves.toEqual({ waiting: 1 });
  });
});
