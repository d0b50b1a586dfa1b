import { type Job, UnrecoverableError } from 'bullmq';
import { currentLogContext, type LogContext, MetricsRegistry, openLogContexts } from '@depot/observability';
import { type JobHandlers, QueueProcessor } from '@depot/queue';
import { JobMetrics } from '../../../libs/queue/src/queue.metrics';

/** What each handler saw: its log context, read at its start and after an await. */
const seen: Array<{ start: LogContext; later: LogContext }> = [];

class FilesProcessor extends QueueProcessor<'files'> {
  readonly queueName = 'files';
  /** What `process` does next; `purge` always throws before returning a promise. */
  next: () => Promise<unknown> = async () => 'done';
  protected readonly handlers: JobHandlers<'files'> = {
    process: async () => {
      const start = currentLogContext();
      await new Promise((resolve) => setImmediate(resolve));
      seen.push({ start, later: currentLogContext() });
      return this.next();
    },
    purge: () => {
      throw new Error('thrown before any promise');
    },
  };
}

function job(name: string, { attemptsMade = 0, attempts = 3 } = {}): Job {
  return {
    name,
    id: `id-${name}-${attemptsMade}`,
    data: { fileId: 'f-1', tenantId: 't-1', requestId: 'req-1' },
    opts: { attempts },
    attemptsMade,
  } as unknown as Job;
}

describe('QueueProcessor', () => {
  let registry: MetricsRegistry;
  let processor: FilesProcessor;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    seen.length = 0;
    registry = new MetricsRegistry();
    processor = new FilesProcessor();
    Object.assign(processor, { metrics: new JobMetrics(registry) });
    warn = jest.spyOn(processor['logger'], 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    // The job's log context is closed once its handler settles, whatever the outcome.
    expect(openLogContexts()).toBe(0);
  });

  /** The samples of the job metrics, as `name{labels} value` lines. */
  async function samples(): Promise<string[]> {
    const text = await registry.text();
    return text
      .split('\n')
      .filter((line) => /^depot_job(s_\w+_total|_duration_seconds_count)\{/.test(line))
      .sort();
  }

  it('returns the handler result, counts and times the job, and runs the handler in its log context', async () => {
    await expect(processor.process(job('process'))).resolves.toBe('done');
    await expect(processor.process(job('process'))).resolves.toBe('done');
    const context = { requestId: 'req-1', jobId: 'id-process-0', queue: 'files', job: 'process' };
    expect(seen).toEqual([
      { start: context, later: context },
      { start: context, later: context },
    ]);
    expect(currentLogContext()).toEqual({});
    expect(await samples()).toEqual([
      'depot_job_duration_seconds_count{queue="files",job="process",outcome="completed"} 2',
      'depot_jobs_completed_total{queue="files",job="process"} 2',
    ]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('counts a failure with attempts left as retried, a last attempt or a permanent error as failed, and logs each in the job context', async () => {
    const failure = new Error('boom');
    processor.next = () => Promise.reject(failure);
    let warnedIn: LogContext | undefined;
    warn.mockImplementation(() => (warnedIn = currentLogContext()));
    await expect(processor.process(job('process', { attemptsMade: 0 }))).rejects.toBe(failure);
    expect(warnedIn).toEqual({ requestId: 'req-1', jobId: 'id-process-0', queue: 'files', job: 'process' });
    await expect(processor.process(job('process', { attemptsMade: 2 }))).rejects.toBe(failure);
    const permanent = new UnrecoverableError('no such file');
    processor.next = () => Promise.reject(permanent);
    await expect(processor.process(job('process', { attemptsMade: 0 }))).rejects.toBe(permanent);

    expect(await samples()).toEqual([
      'depot_job_duration_seconds_count{queue="files",job="process",outcome="failed"} 2',
      'depot_job_duration_seconds_count{queue="files",job="process",outcome="retried"} 1',
      'depot_jobs_failed_total{queue="files",job="process"} 2',
      'depot_jobs_retried_total{queue="files",job="process"} 1',
    ]);
    expect(warn.mock.calls.map(([fields]) => fields as object)).toEqual([
      { err: failure, attempt: 1, willRetry: true },
      { err: failure, attempt: 3, willRetry: false },
      { err: permanent, attempt: 1, willRetry: false },
    ]);
  });

  it('fails a job whose handler throws before returning a promise like one that rejects', async () => {
    await expect(processor.process(job('purge'))).rejects.toThrow('thrown before any promise');
    expect(await samples()).toEqual([
      'depot_job_duration_seconds_count{queue="files",job="purge",outcome="retried"} 1',
      'depot_jobs_retried_total{queue="files",job="purge"} 1',
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('refuses a job name with no handler, for good', async () => {
    await expect(processor.process(job('unknown'))).rejects.toThrow(
      new UnrecoverableError('no handler for job "unknown" on queue "files"'),
    );
    expect(await samples()).toEqual([]);
  });
});
