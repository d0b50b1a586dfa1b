import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import { Client } from 'pg';
import { testEnv } from '../../support/test-env';
import { testQueue } from '../../support/test-queue';

const ROOT = join(__dirname, '../../..');

/** Runs `npm run -s <script> -- ...args` with this test run's environment. */
function npmRun(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '-s', script, '--', ...args],
      { cwd: ROOT, env: { ...process.env, APP_ENV: 'test' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('scheduler operator commands', () => {
  const env = testEnv();
  const db = new Client({ connectionString: env.databaseUrl });
  let queue: Queue;

  beforeAll(async () => {
    queue = await testQueue('maintenance');
    await db.connect();
  });
  afterAll(() => Promise.all([db.end(), queue?.close()]));

  it('list, run one task now, and refuse an unknown task', async () => {
    const [list, run, unknown] = await Promise.all([
      npmRun('scheduler:list', []),
      npmRun('scheduler:run', ['usageReport']),
      npmRun('scheduler:run', ['vacuumEverything']),
    ]);

    expect(list.code).toBe(0);
    const iso = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
    for (const task of ['retentionSweep', 'requeueStuck', 'usageReport']) {
      expect(list.stdout).toMatch(
        new RegExp(`^${task}\\s+(yes|no)\\s+\\S+( \\S+){4,5}\\s+${iso}  ${iso}  ${iso}$`, 'm'),
      );
    }

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'unknown task "vacuumEverything"; expected one of: retentionSweep, requeueStuck, usageReport',
    );

    expect(run).toMatchObject({ code: 0 });
    const jobId = /^enqueued usageReport: job (usageReport-manual-\d+), run [0-9a-f-]{36} at /m.exec(
      run.stdout,
    )?.[1];
    expect(jobId).toBeDefined();
    const { rows } = await db.query(
      'SELECT task, job_id, enqueued_at FROM scheduler_runs WHERE job_id = $1',
      [jobId],
    );
    expect(rows).toEqual([{ task: 'usageReport', job_id: jobId, enqueued_at: expect.any(Date) }]);
    const job = await queue.getJob(jobId!);
    expect(job?.name).toBe('usageReport');
  }, 60_000);
});
