import { currentLogContext, withLogContext } from '@depot/observability';
import { type BatchOutcome, JobBatcher } from '@depot/queue';

/** A batch run the test ends by hand, so what gathers while it runs is known. */
function controlledRun() {
  const runs: Array<{
    items: readonly number[];
    finish(outcomes?: Array<BatchOutcome<string>>): void;
    fail(error: unknown): void;
  }> = [];
  const run = (items: readonly number[]) =>
    new Promise<ReadonlyArray<BatchOutcome<string>>>((resolve, reject) => {
      runs.push({
        items,
        finish: (outcomes) => resolve(outcomes ?? items.map((item) => ({ ok: true, value: `done ${item}` }))),
        fail: reject,
      });
    });
  return { runs, run };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('JobBatcher', () => {
  it('starts at once when idle, and gathers what comes while its batches run, up to maxSize', async () => {
    const { runs, run } = controlledRun();
    const batcher = new JobBatcher(run, { maxSize: 3, maxRunning: 1 });
    const results = [1, 2, 3, 4, 5, 6].map((item) => batcher.submit(item));
    await flush();
    expect(runs.map(({ items }) => items)).toEqual([[1]]);
    runs[0]!.finish();
    await flush();
    expect(runs.map(({ items }) => items)).toEqual([[1], [2, 3, 4]]);
    runs[1]!.finish();
    await flush();
    expect(runs.map(({ items }) => items)).toEqual([[1], [2, 3, 4], [5, 6]]);
    runs[2]!.finish();
    expect(await Promise.all(results)).toEqual(['done 1', 'done 2', 'done 3', 'done 4', 'done 5', 'done 6']);
  });

  it('runs up to maxRunning batches at once', async () => {
    const { runs, run } = controlledRun();
    const batcher = new JobBatcher(run, { maxSize: 2, maxRunning: 2 });
    for (const item of [1, 2, 3, 4]) void batcher.submit(item);
    await flush();
    expect(runs.map(({ items }) => items)).toEqual([[1], [2]]);
    runs[1]!.finish();
    await flush();
    expect(runs.map(({ items }) => items)).toEqual([[1], [2], [3, 4]]);
  });

  it("gives each item its own outcome, and a failed run's error to every item of its batch", async () => {
    const { runs, run } = controlledRun();
    const batcher = new JobBatcher(run, { maxSize: 2, maxRunning: 1 });
    const first = batcher.submit(1);
    const second = batcher.submit(2);
    const third = batcher.submit(3);
    await flush();
    runs[0]!.finish();
    await flush();
    const mine = new Error('only mine');
    runs[1]!.finish([
      { ok: false, error: mine },
      { ok: true, value: 'fine' },
    ]);
    await expect(first).resolves.toBe('done 1');
    await expect(second).rejects.toBe(mine);
    await expect(third).resolves.toBe('fine');

    const fourth = batcher.submit(4);
    await flush();
    const all = new Error('the whole batch');
    runs[2]!.fail(all);
    await expect(fourth).rejects.toBe(all);
  });

  it('runs a batch outside the log context of the job that started it', async () => {
    let seen: unknown;
    const batcher = new JobBatcher<number, number>(
      async (items) => {
        seen = currentLogContext();
        return items.map((value) => ({ ok: true, value }));
      },
      { maxSize: 4, maxRunning: 1 },
    );
    await withLogContext({ jobId: '42', requestId: 'r-1', queue: 'files' }, () => batcher.submit(1));
    expect(seen).toMatchObject({ jobId: undefined, requestId: undefined });
  });
});
