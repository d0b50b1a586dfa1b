import type { ChildProcess } from 'node:child_process';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a truthy value (which it resolves with) or `timeoutMs`
 * passes (then it throws, naming what it waited for and the last thing the probe said).
 * A probe that throws counts as "not yet".
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | false | null | undefined>,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${describe(last)})`);
    }
    await sleep(intervalMs);
  }
}

/**
 * What a probe last said. Errors are recognised by shape, not `instanceof`: one thrown by
 * Node's own fetch comes from another realm under Jest's VM modules (Node 24), where
 * `JSON.stringify` shows it as `{}`. Its cause (the refused connection) is named too.
 */
function describe(last: unknown): string {
  if (typeof last !== 'object' || last === null || !('message' in last)) return JSON.stringify(last);
  const { message, cause } = last as { message: unknown; cause?: unknown };
  return cause === undefined ? String(message) : `${String(message)}: ${describe(cause)}`;
}

/** Sends `signal` to a child and waits for it to exit; SIGKILL if it has not within `timeoutMs`. */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
