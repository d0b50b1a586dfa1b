import type { Queue } from 'bullmq';
import { Client } from 'pg';
import { AppProcess } from '../../support/app-process';
import { testEnv } from '../../support/test-env';
import { testQueue } from '../../support/test-queue';
import { waitFor } from '../../support/wait';

interface RunRow {
  scheduled_at: Date;
  enqueued_at: Date | null;
  job_id: string | null;
  claimed_by: string;
}

/** A replica's count of requeueStuck ticks with `outcome`, from its /metrics text. */
const counted = (text: string, outcome: string): number =>
  Number(
    new RegExp(
      `^depot_scheduler_ticks_total\\{task="requeueStuck",outcome="${outcome}"\\} (\\d+)$`,
      'm',
    ).exec(text)?.[1] ?? NaN,
  );

/**
 * Three scheduler replicas on a cron that ticks every second: each tick is claimed by
 * exactly one of them in `scheduler_runs`, and exactly one `maintenance` job exists for it.
 */
describe('scheduler replicas', () => {
  const env = testEnv();
  const db = new Client({ connectionString: env.databaseUrl });
  let queue: Queue;
  const replicas: AppProcess[] = [];

  beforeAll(async () => {
    queue = await testQueue('maintenance');
    await db.connect();
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop('SIGKILL')));
    await Promise.all([db.end(), queue?.close()]);
  });

  it('claims each tick once across three replicas and enqueues exactly one job per tick', async () => {
    const schedulerEnv = {
      DEPOT__SCHEDULER__TASKS__REQUEUE_STUCK__CRON: '*/1 * * * * *',
      DEPOT__SCHEDULER__TASKS__RETENTION_SWEEP__ENABLED: 'false',
      DEPOT__SCHEDULER__TASKS__USAGE_REPORT__ENABLED: 'false',
      LOG_LEVEL: 'info',
    };
    replicas.push(
      ...(await Promise.all([1, 2, 3].map(() => AppProcess.startReady('scheduler', schedulerEnv)))),
    );
    const allRunning = new Date();
    const ticksSince = async (from: Date, to: Date): Promise<RunRow[]> =>
      (
        await db.query<RunRow>(
          `SELECT scheduled_at, enqueued_at, job_id, claimed_by FROM scheduler_runs
            WHERE task = 'requeueStuck' AND job_id NOT LIKE '%manual%' AND scheduled_at BETWEEN $1 AND $2
            ORDER BY scheduled_at`,
          [from, to],
        )
      ).rows;
    // Five ticks claimed and enqueued while all three ran: waited for, not timed, so a loaded
    // machine only makes the test slower.
    await waitFor('five ticks enqueued', 30_000, async () => {
      const ticks = await ticksSince(allRunning, new Date());
      return ticks.filter((row) => row.enqueued_at !== null).length >= 5;
    });
    const lastRunning = new Date();
    const rows = await waitFor('every tick of the window enqueued', 15_000, async () => {
      const ticks = await ticksSince(allRunning, lastRunning);
      return ticks.every((row) => row.enqueued_at !== null) && ticks;
    });
    // Counters move just after the row is written: wait until each replica has counted the
    // window's ticks (claimed or skipped) and, all three together, claimed every one of them.
    const metrics = await waitFor('the replicas to count every tick of the window', 15_000, async () => {
      const texts = await Promise.all(
        replicas.map(async (replica) => (await replica.fetch('/metrics')).text()),
      );
      const claimedSum = texts.reduce((sum, text) => sum + counted(text, 'claimed'), 0);
      const each = texts.every((text) => counted(text, 'claimed') + counted(text, 'skipped') >= 4);
      return each && claimedSum >= rows.length && texts;
    });
    expect(await Promise.all(replicas.map((replica) => replica.stop('SIGTERM')))).toEqual([0, 0, 0]);

    // A tick for every second all three were running (none missed, none doubled), on the second.
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const seconds = rows.map((row) => row.scheduled_at.getTime() / 1000);
    for (const second of seconds) expect(Number.isInteger(second)).toBe(true);
    expect(seconds).toEqual(seconds.map((_, index) => seconds[0]! + index));

    // Each claimed tick was enqueued, by the replica that claimed it, under the tick's job id.
    for (const row of rows) {
      expect(row.job_id).toBe(`requeueStuck-${row.scheduled_at.getTime()}`);
      expect(row.enqueued_at).not.toBeNull();
    }
    const pids = replicas.map((replica) => replica.child.pid);
    for (const row of rows) expect(pids).toContain(Number(row.claimed_by.split(':').pop()));

    // Exactly one job per tick on the queue, whatever a worker elsewhere in the run did with it.
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized']);
    for (const row of rows) {
      const matching = jobs.filter((job) => job.id === row.job_id);
      expect(matching).toHaveLength(1);
      expect(matching[0]!.name).toBe('requeueStuck');
      expect(matching[0]!.data).toEqual({
        scheduledAt: row.scheduled_at.toISOString(),
        requestId: row.job_id,
      });
    }

    // Each replica counted the ticks it won as claimed and the others' as skipped.
    const claimed = metrics.map((text) => counted(text, 'claimed'));
    const skipped = metrics.map((text) => counted(text, 'skipped'));
    for (const [index, text] of metrics.entries()) {
      expect(counted(text, 'failed')).toBe(0);
      expect(claimed[index]! + skipped[index]!).toBeGreaterThanOrEqual(4);
    }
    expect(claimed.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(rows.length);
    // Disabled tasks are not scheduled at all.
    for (const text of metrics) expect(text).not.toContain('task="usageReport"');
  }, 60_000);
});
