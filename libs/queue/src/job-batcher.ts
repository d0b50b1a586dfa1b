import { withLogContext } from '@depot/observability';

/** What a batch came to for one of its items: its own result or its own error. */
export type BatchOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** Runs one batch; returns one outcome per item, in the items' order. Throwing fails every item. */
export type BatchRun<I, R> = (items: readonly I[]) => Promise<ReadonlyArray<BatchOutcome<R>>>;

/** See {@link JobBatcher}. */
export interface JobBatcherOptions {
  /** Most items in one batch. */
  maxSize: number;
  /** Most batches running at once; items handed in meanwhile wait for the next batch. */
  maxRunning: number;
}

interface Waiting<I, R> {
  item: I;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * Gathers items handed in one at a time, each by its own job, into batches run together:
 * a job's handler awaits `submit(item)` and gets its own item's result or error, so the
 * queue still fetches, locks, retries, completes and counts each job as its own (BullMQ's
 * worker extends the locks of all its active jobs while they wait here, and waits for them
 * on close). The worker's concurrency must exceed `maxSize × maxRunning` for a full batch to
 * gather while others run.
 *
 * A batch starts as soon as an item comes and fewer than `maxRunning` run, with every item
 * waiting then (up to `maxSize`): no timer, so an idle queue's first job is not delayed, and
 * under load batches fill while the running ones work (the same self-clocking as a group
 * commit). A batch runs outside any one job's log context.
 */
export class JobBatcher<I, R> {
  private readonly waiting: Array<Waiting<I, R>> = [];
  private running = 0;

  constructor(
    private readonly run: BatchRun<I, R>,
    private readonly options: JobBatcherOptions,
  ) {
    if (options.maxSize < 1 || options.maxRunning < 1)
      throw new Error('JobBatcher: maxSize and maxRunning must be at least 1');
  }

  /** The item's own outcome once the batch it joined has run. */
  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.startNext();
    });
  }

  private startNext(): void {
    while (this.running < this.options.maxRunning && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxSize);
      this.running += 1;
      // Not the log context of the job whose item happened to start it: the batch serves them all.
      void withLogContext({ requestId: undefined, jobId: undefined }, () => this.runBatch(batch)).finally(
        () => {
          this.running -= 1;
          this.startNext();
        },
      );
    }
  }

  private async runBatch(batch: ReadonlyArray<Waiting<I, R>>): Promise<void> {
    let outcomes: ReadonlyArray<BatchOutcome<R>>;
    try {
      outcomes = await this.run(batch.map(({ item }) => item));
      if (outcomes.length !== batch.length)
        throw new Error(`JobBatcher: ${outcomes.length} outcomes for ${batch.length} items`);
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }
}
