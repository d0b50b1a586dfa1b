/**
 * Things to undo, run last-in first-out, each even when an earlier one fails:
 *
 *     const teardown = new Teardown();
 *     try { const app = await startApp(...); teardown.add(() => app.stop()); ... }
 *     finally { await teardown.run(); }
 */
export class Teardown {
  private readonly steps: Array<() => unknown> = [];

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  /** Runs every step; throws the first failure after all have run. */
  async run(): Promise<void> {
    let failure: unknown;
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }
}

/** Runs `work` with a {@link Teardown} that always runs afterwards. */
export async function withTeardown<T>(work: (teardown: Teardown) => Promise<T>): Promise<T> {
  const teardown = new Teardown();
  let result: T;
  try {
    result = await work(teardown);
  } catch (error) {
    // The work's failure is the one worth reporting; a teardown failure after it is noise.
    await teardown.run().catch(() => undefined);
    throw error;
  }
  await teardown.run();
  return result;
}
