import { createHash, randomBytes } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { AppProcess } from '../../support/app-process';
import { createTenant, upload } from '../../support/depot-api';
import { testEnv } from '../../support/test-env';
import { testQueue } from '../../support/test-queue';
import { waitFor } from '../../support/wait';
import { startS3rver, type S3rver } from '../../integration/storage/support/s3rver';
import { ownDatabase } from '../faults/fault-env';

jest.setTimeout(240_000);

const UPLOADS = 500;
/** Uploads in flight at once, spread over the live apis. */
const CONCURRENCY = 12;
const BUCKET = 'depot-scale';

interface Sent {
  key: string;
  sha256: string;
  size: number;
  /** The file id of the 201 that finally answered, and how many connection errors it took. */
  id?: string;
  retries: number;
  /** How many 503s ("try again shortly": a dependency was slow to answer) it took. */
  unavailable: number;
}

/**
 * Depot past one process of each kind: 2 api, 2 worker and 3 scheduler processes on the s3
 * driver (s3rver), 500 uploads each with its own Idempotency-Key from a client that retries on
 * connection errors, and one api and one worker killed with SIGKILL once half the uploads
 * were answered. Every upload ends `ready` exactly once with its sha256, no upload makes two
 * files, and no scheduler tick is claimed or enqueued twice.
 */
describe('scale-out: several replicas of each app, one api and one worker killed halfway', () => {
  const run = testEnv();
  const queuePrefix = `${run.queuePrefix}-scale`;
  let s3: S3rver;
  let database: { url: string; drop(): Promise<void> };
  let db: Client;
  const apps: AppProcess[] = [];

  async function start(
    name: 'api' | 'worker' | 'scheduler',
    extra: Record<string, string> = {},
  ): Promise<AppProcess> {
    const app = await AppProcess.start(name, {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: queuePrefix,
      ...s3.appEnv(BUCKET),
      // Nine processes over the run on one PostgreSQL server that other test files use at the
      // same time: pools of 3 rather than 10 keep them under its max_connections (100) on the
      // postgres queue backend (alone, 84 connections at the peak with pools of 10, 70 with 3).
      DEPOT__DATABASE__POOL_SIZE: '3',
      // A dead worker's job comes back within seconds rather than the shipped 30 + 30 s.
      DEPOT__QUEUE__LOCK_DURATION_MS: '4000',
      DEPOT__QUEUE__STALLED_INTERVAL_MS: '1000',
      // A row the killed api committed but never enqueued is brought back by requeueStuck.
      DEPOT__FILES__STUCK_AFTER_SECONDS: '5',
      DEPOT__SCHEDULER__TASKS__REQUEUE_STUCK__CRON: '* * * * * *',
      DEPOT__SCHEDULER__TASKS__RETENTION_SWEEP__CRON: '*/5 * * * * *',
      DEPOT__SCHEDULER__TASKS__USAGE_REPORT__ENABLED: 'false',
      ...extra,
    });
    apps.push(app);
    await app.waitReady();
    return app;
  }

  beforeAll(async () => {
    // Side by side; each is kept as it comes, so afterAll stops it if the other fails.
    await Promise.all([
      startS3rver([BUCKET]).then((started) => (s3 = started)),
      ownDatabase('scale_out').then((own) => (database = own)),
    ]);
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await db?.end();
    await database?.drop();
    await s3?.stop();
  });

  it('loses nothing and duplicates nothing', async () => {
    const [apis, workers, schedulers] = await Promise.all([
      Promise.all([start('api'), start('api')]),
      Promise.all([start('worker'), start('worker')]),
      Promise.all([start('scheduler'), start('scheduler'), start('scheduler')]),
    ]);
    const ticksFrom = new Date();
    const { tenantId, apiKey } = await createTenant(apis[0]!, 'Scale Out Ltd');

    // The client: each upload is retried, same key and bytes, on another live api after a connection error.
    const live = new Set(apis);
    let next = 0;
    const pick = (): AppProcess => {
      const candidates = [...live];
      if (candidates.length === 0) throw new Error('no api left to send to');
      return candidates[next++ % candidates.length]!;
    };
    async function send(index: number): Promise<Sent> {
      const bytes = randomBytes(1024 + (index % 7) * 512);
      const sent: Sent = {
        key: `scale-${index}-${randomBytes(6).toString('hex')}`,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
        retries: 0,
        unavailable: 0,
      };
      for (;;) {
        const api = pick();
        let response: Response;
        try {
          response = await upload(api, apiKey.key, bytes, { idempotencyKey: sent.key, name: `${index}.bin` });
        } catch {
          // The connection failed (refused or cut): this api may be gone; the same upload goes to another.
          if (api.child.exitCode !== null || api.child.signalCode !== null) live.delete(api);
          sent.retries += 1;
          if (sent.retries > 10) throw new Error(`upload ${index} failed ${sent.retries} times`);
          continue;
        }
        if (response.status === 503 && sent.unavailable < 10) {
          // A 503 says to try again shortly (on a loaded machine the database or the bucket
          // can be slow to answer): a client does, with the same key and bytes, after a pause.
          await response.body?.cancel();
          sent.unavailable += 1;
          await new Promise((resolve) => setTimeout(resolve, 200 * sent.unavailable));
          continue;
        }
        if (response.status !== 201)
          throw new Error(`upload ${index}: ${response.status} ${await response.text()}`);
        sent.id = ((await response.json()) as { id: string }).id;
        return sent;
      }
    }

    const results: Sent[] = [];
    let answered = 0;
    let killed: Promise<unknown> | undefined;
    let cursor = 0;
    const lane = async (): Promise<void> => {
      while (cursor < UPLOADS) {
        const index = cursor++;
        results[index] = await send(index);
        answered += 1;
        if (answered === UPLOADS / 2) {
          // Halfway: one api and one worker die at once, uploads still in flight on the api.
          killed = Promise.all([apis[0]!.stop('SIGKILL'), workers[0]!.stop('SIGKILL')]);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    expect(await killed).toEqual([null, null]);
    // The kill cut uploads in flight (or caught them on their way to the dead api): the client retried them.
    expect(results.reduce((sum, sent) => sum + sent.retries, 0)).toBeGreaterThan(0);

    // Every upload answered 201, with a file id of its own.
    expect(results.filter(Boolean)).toHaveLength(UPLOADS);
    expect(new Set(results.map((sent) => sent.id)).size).toBe(UPLOADS);

    // Every file ends ready, one row per Idempotency-Key, with the bytes' sha256.
    await waitFor(
      `all ${UPLOADS} files ready`,
      150_000,
      async () => {
        const { rows } = await db.query<{ count: string }>(
          `SELECT count(*) FROM files WHERE tenant_id = $1 AND status = 'ready'`,
          [tenantId],
        );
        return Number(rows[0]!.count) >= UPLOADS;
      },
      500,
    );
    const { rows } = await db.query<{
      id: string;
      idempotency_key: string;
      sha256: string;
      size: string;
      status: string;
    }>(`SELECT id, idempotency_key, sha256, size, status FROM files WHERE tenant_id = $1`, [tenantId]);
    expect(rows).toHaveLength(UPLOADS);
    const byKey = new Map(rows.map((row) => [row.idempotency_key, row]));
    for (const sent of results) {
      expect(byKey.get(sent.key)).toEqual({
        id: sent.id,
        idempotency_key: sent.key,
        sha256: sent.sha256,
        size: String(sent.size),
        status: 'ready',
      });
    }

    // Made ready once: no file has two `ready` outcomes across the workers (the dead one's included).
    const readyLines = workers
      .flatMap((worker) => worker.logLines())
      .filter((line) => line.outcome === 'ready' && typeof line.fileId === 'string');
    const readyCount = new Map<string, number>();
    for (const line of readyLines)
      readyCount.set(line.fileId as string, (readyCount.get(line.fileId as string) ?? 0) + 1);
    expect([...readyCount].filter(([, count]) => count > 1)).toEqual([]);

    // In the bucket: exactly one object per file under files/, none for any other id.
    const stored: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.client().send(
        new ListObjectsV2Command({
          Bucket: BUCKET,
          Prefix: `tenants/${tenantId}/files/`,
          ContinuationToken: token,
        }),
      );
      stored.push(...(page.Contents ?? []).map((object) => object.Key!.split('/').pop()!));
      token = page.NextContinuationToken;
    } while (token);
    expect(stored.sort()).toEqual(rows.map((row) => row.id).sort());

    // Ticks: the claims the three schedulers counted are exactly the rows (none claimed twice),
    // read between two counts that agree, since the schedulers keep ticking meanwhile. A
    // replica counts its claim only once the tick's job is enqueued, after the row is written:
    // on a loaded machine a read can fall in between, so the wait is for a moment with no tick
    // in flight. A claim counted twice, or never, never agrees and the wait fails with both.
    const claimedTotal = (text: string, outcome: string): number =>
      [
        ...text.matchAll(
          new RegExp(`^depot_scheduler_ticks_total\\{task="\\w+",outcome="${outcome}"\\} (\\d+)$`, 'gm'),
        ),
      ].reduce((sum, match) => sum + Number(match[1]), 0);
    const rowCount = async (): Promise<number> =>
      Number((await db.query<{ count: string }>('SELECT count(*) FROM scheduler_runs')).rows[0]!.count);
    const countedIn = (metrics: string[], outcome: string): number =>
      metrics.reduce((sum, text) => sum + claimedTotal(text, outcome), 0);
    const stable = await waitFor(
      'a steady count of ticks, each row counted once as claimed',
      30_000,
      async () => {
        const before = await rowCount();
        const metrics = await Promise.all(
          schedulers.map(async (scheduler) => (await scheduler.fetch('/metrics')).text()),
        );
        const after = await rowCount();
        if (before !== after) return false;
        const claimed = countedIn(metrics, 'claimed');
        if (claimed !== after) throw new Error(`${after} rows in scheduler_runs, ${claimed} claims counted`);
        return { rows: after, metrics };
      },
      50,
    );
    const counted = (outcome: string): number => countedIn(stable.metrics, outcome);
    expect(counted('claimed')).toBe(stable.rows);
    expect(counted('failed')).toBe(0);
    for (const text of stable.metrics)
      expect(claimedTotal(text, 'claimed') + claimedTotal(text, 'skipped')).toBeGreaterThan(0);

    // Each tick (settled ones: a second old) was enqueued once, as a job of its own on the queue.
    const { rows: ticks } = await db.query<{ task: string; job_id: string | null; enqueued_at: Date | null }>(
      `SELECT task, job_id, enqueued_at FROM scheduler_runs WHERE scheduled_at BETWEEN $1 AND now() - interval '2 seconds'`,
      [ticksFrom],
    );
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    for (const tick of ticks) expect(tick.enqueued_at).not.toBeNull();
    expect(new Set(ticks.map((tick) => tick.job_id)).size).toBe(ticks.length);
    const queue = await testQueue('maintenance', queuePrefix, database.url);
    try {
      const jobs = await queue.getJobs([
        'waiting',
        'active',
        'delayed',
        'completed',
        'failed',
        'prioritized',
      ]);
      for (const tick of ticks) {
        expect(jobs.filter((job) => job.id === tick.job_id).map((job) => job.name)).toEqual([tick.task]);
      }
    } finally {
      await queue.close();
    }
  });
});
