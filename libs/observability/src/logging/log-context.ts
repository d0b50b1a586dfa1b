import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields that every log line written inside a request or a job carries. */
export interface LogContext {
  requestId?: string;
  jobId?: string;
  queue?: string;
  job?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with `context` merged into the current log context. */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, work);
}

/** Sets fields for the rest of the current async context (e.g. from a request hook). */
export function enterLogContext(context: LogContext): void {
  storage.enterWith({ ...storage.getStore(), ...context });
}

export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
