import { AppProcess } from '../support/app-process';
import { bearer, createTenant, upload, waitForStatus } from '../support/depot-api';
import { testEnv } from '../support/test-env';
import { waitFor } from '../support/wait';

/** The names of the metric families a `/metrics` page declares. */
async function families(app: AppProcess): Promise<Set<string>> {
  const text = await (await app.fetch('/metrics')).text();
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!));
}

async function sample(app: AppProcess, pattern: RegExp): Promise<number> {
  const text = await (await app.fetch('/metrics')).text();
  const line = text.split('\n').find((candidate) => pattern.test(candidate));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN;
}

/**
 * After a file's walk through the api and the worker, and a few scheduler ticks, each app's
 * `/metrics` shows its families, and one request id follows the upload into the worker's logs.
 */
describe('metrics and correlation across the three apps', () => {
  const apps: AppProcess[] = [];
  let api: AppProcess;
  let worker: AppProcess;
  let scheduler: AppProcess;

  beforeAll(async () => {
    // A queue prefix of its own, so this file's scheduler and worker see only this file's work.
    const env = { QUEUE_PREFIX: `${testEnv().queuePrefix}-obs` };
    [api, worker, scheduler] = await Promise.all([
      AppProcess.startReady('api', env),
      AppProcess.startReady('worker', env),
      AppProcess.startReady('scheduler', {
        ...env,
        DEPOT__SCHEDULER__TASKS__REQUEUE_STUCK__CRON: '* * * * * *',
      }),
    ]);
    apps.push(api, worker, scheduler);
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
  });

  it('walks a file and shows every family on the app that records it', async () => {
    const { apiKey } = await createTenant(api, 'metrics');
    const uploaded = await upload(api, apiKey.key, new TextEncoder().encode('%PDF-1.7 metrics walk'), {
      name: 'walk.pdf',
    });
    expect(uploaded.status).toBe(201);
    const requestId = uploaded.headers.get('x-request-id')!;
    const { id } = (await uploaded.json()) as { id: string };
    // The api's own line for the upload carries it, as the upload route passes it along explicitly.
    const uploadedLine = await waitFor("the api's line for the upload", 10_000, async () =>
      api.logLines().find((line) => line.msg === 'file uploaded' && line.fileId === id),
    );
    expect(uploadedLine).toMatchObject({ requestId, tenantId: expect.any(String) });
    await waitForStatus(api, apiKey.key, id, ['ready']);
    expect((await api.fetch(`/v1/files/${id}/content`, { headers: bearer(apiKey.key) })).status).toBe(200);
    expect(
      (await api.fetch(`/v1/files/${id}`, { method: 'DELETE', headers: bearer(apiKey.key) })).status,
    ).toBe(204);
    // The purge has run on the worker and the scheduler has claimed a tick: waited for, not timed.
    await waitFor('the purge to complete and a tick to be claimed', 30_000, async () => {
      const purged = await sample(worker, /^depot_jobs_completed_total\{queue="files",job="purge"\}/);
      const claimed = await sample(
        scheduler,
        /^depot_scheduler_ticks_total\{task="requeueStuck",outcome="claimed"\}/,
      );
      return purged >= 1 && claimed >= 1;
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${worker.describe()}\n${scheduler.describe()}`, { cause: error });
    });

    const common = ['depot_process_resident_memory_bytes', 'depot_nodejs_eventloop_lag_seconds'];
    expect([...(await families(api))]).toEqual(
      expect.arrayContaining([
        ...common,
        'depot_http_request_duration_seconds',
        'depot_storage_operation_duration_seconds',
        'depot_queue_jobs',
      ]),
    );
    expect([...(await families(worker))]).toEqual(
      expect.arrayContaining([
        ...common,
        'depot_jobs_completed_total',
        'depot_jobs_failed_total',
        'depot_jobs_retried_total',
        'depot_job_duration_seconds',
        'depot_storage_operation_duration_seconds',
        'depot_queue_jobs',
      ]),
    );
    expect([...(await families(scheduler))]).toEqual(
      expect.arrayContaining([...common, 'depot_scheduler_ticks_total']),
    );

    // Labelled by route template, not by the raw URL.
    expect(
      await sample(
        api,
        /^depot_http_request_duration_seconds_count\{method="GET",route="\/v1\/files\/:id\/content",status_code="200"\}/,
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await sample(
        api,
        /^depot_storage_operation_duration_seconds_count\{disk="local",operation="write",outcome="ok"\}/,
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await sample(worker, /^depot_jobs_completed_total\{queue="files",job="process"\}/),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await sample(worker, /^depot_jobs_completed_total\{queue="files",job="purge"\}/),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await sample(scheduler, /^depot_scheduler_ticks_total\{task="requeueStuck",outcome="claimed"\}/),
    ).toBeGreaterThanOrEqual(1);

    // The upload's request id rides in the job: the worker's log lines for it carry it.
    const jobLines = worker.logLines().filter((line) => line.requestId === requestId);
    expect(jobLines.length).toBeGreaterThanOrEqual(1);
    expect(jobLines[0]).toMatchObject({ queue: 'files', job: 'process', jobId: id });
  });
});
