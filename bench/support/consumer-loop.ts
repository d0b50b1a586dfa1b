import type { Worker } from 'bullmq';
import { reportResult } from './processes';
import { nowMs } from './timing';

/** What the queue benchmark asks a consumer child: take `jobs` jobs at `concurrency`. */
export interface ConsumeCommand {
  jobs: number;
  concurrency: number;
}

export interface ConsumeResult {
  jobs: number;
  ms: number;
}

/**
 * The consumer side of the queue benchmark, shared by Depot's job host and the bare
 * worker so that both are driven and timed alike. The worker is created with
 * `autorun: false`. For each command (over IPC) the parent has filled the queue; the worker
 * starts (or resumes) at the requested concurrency, the time to the `jobs`-th completion
 * is reported, and the worker pauses until the next command. `"stop"` ends the loop.
 */
export async function serveConsumeCommands(worker: Worker): Promise<void> {
  await worker.waitUntilReady();
  let target = 0;
  let completed = 0;
  let finish: (() => void) | undefined;
  worker.on('completed', () => {
    if (++completed === target) finish?.();
  });

  const consume = async ({ jobs, concurrency }: ConsumeCommand): Promise<ConsumeResult> => {
    completed = 0;
    target = jobs;
    worker.concurrency = concurrency;
    const finished = new Promise<number>((resolve) => (finish = () => resolve(nowMs())));
    const start = nowMs();
    // resume() restarts the main loop if pausing ended it; run() would refuse a paused worker.
    if (worker.isPaused()) await worker.resume();
    else void worker.run();
    const end = await finished;
    await worker.pause();
    return { jobs, ms: end - start };
  };

  reportResult({ ready: true });
  await new Promise<void>((resolve, reject) => {
    // Commands run one at a time, in the order they arrive.
    let chain = Promise.resolve();
    process.on('message', (message: ConsumeCommand | 'stop') => {
      chain = chain
        .then(async () => {
          if (message !== 'stop') {
            reportResult(await consume(message));
            return;
          }
          process.removeAllListeners('message');
          process.disconnect?.();
          resolve();
        })
        .catch(reject);
    });
  });
}
