import { AsyncLocalStorage, executionAsyncResource } from 'node:async_hooks';

/** Fields that every log line written inside a request or a job carries. */
export interface LogContext {
  requestId?: string;
  jobId?: string;
  queue?: string;
  job?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/**
 * Whether this runtime's AsyncLocalStorage follows async work through async_hooks (Node 20
 * and 22; Node 24 carries it in AsyncContextFrame instead). There, while a storage is
 * enabled, every promise and callback of the process, whatever context it belongs to, runs
 * promise and async hooks: in a busy api that was about a tenth of its CPU. Told from how
 * `run` stores its value: on the current async resource, under a symbol of the storage.
 */
function propagatesThroughHooks(): boolean {
  const probe = new AsyncLocalStorage<object>();
  const marker = {};
  const hooked = probe.run(marker, () => {
    const resource = executionAsyncResource() as Record<symbol, unknown>;
    return Object.getOwnPropertySymbols(resource).some((symbol) => resource[symbol] === marker);
  });
  probe.disable();
  return hooked;
}

const HOOKED = propagatesThroughHooks();

/** Contexts opened and not yet closed, process-wide. */
let open = 0;

function release(): void {
  open -= 1;
  // With no context open, nothing reads the storage until the next one opens: switch its
  // hooks off. Work that a closed context started and did not wait for logs without its ids.
  if (open === 0 && HOOKED) storage.disable();
}

/**
 * Runs `work` with `context` merged into the current log context, and keeps that context
 * open until the returned `close` is called (once is enough; later calls do nothing). For
 * work whose end is an event rather than the return of a function: an HTTP request, closed
 * when its response ends.
 */
export function openLogContext(context: LogContext, work: () => void): () => void {
  open += 1;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    release();
  };
  try {
    storage.run({ ...currentLogContext(), ...context }, work);
  } catch (error) {
    close();
    throw error;
  }
  return close;
}

/**
 * Runs `work` with `context` merged into the current log context. The context stays open
 * until `work` returns or, when it returns a promise, until that promise settles.
 */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  let result: T | undefined;
  const close = openLogContext(context, () => {
    result = work();
  });
  if (isThenable(result)) {
    result.then(close, close);
  } else {
    close();
  }
  return result as T;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * The fields {@link withSyncLogContext} set, and the store that was current then: a context
 * opened inside its work (a newer store) already holds those fields, and wins.
 */
let synchronous: { fields: LogContext; store: LogContext | undefined } | undefined;

/**
 * Runs `work` with `context` merged into the current log context for the synchronous part
 * of `work` only: what it logs, or the jobs it enqueues, before its first await. Unlike
 * {@link withLogContext} it switches no hooks on, so it costs the rest of the process
 * nothing: for work that carries its request id itself (an upload, see
 * `registerRequestContext`).
 */
export function withSyncLogContext<T>(context: LogContext, work: () => T): T {
  const outer = synchronous;
  synchronous = { fields: { ...currentLogContext(), ...context }, store: storage.getStore() };
  try {
    return work();
  } finally {
    synchronous = outer;
  }
}

/** The fields of the log context the caller runs in; empty outside any. */
export function currentLogContext(): LogContext {
  const store = storage.getStore();
  if (synchronous !== undefined && synchronous.store === store) return synchronous.fields;
  return store ?? {};
}

/**
 * Fastify route config (Nest: `@RouteConfig(EXPLICIT_LOG_CONTEXT)`) for a write route whose
 * handler gives its request id to everything that logs or enqueues ({@link withSyncLogContext}):
 * its requests open no log context (see `registerRequestContext`).
 */
export const EXPLICIT_LOG_CONTEXT = Object.freeze({ explicitLogContext: true });

/** Whether a route's config is {@link EXPLICIT_LOG_CONTEXT}'s. */
export function hasExplicitLogContext(config: unknown): boolean {
  return (config as Partial<typeof EXPLICIT_LOG_CONTEXT> | undefined)?.explicitLogContext === true;
}

/** How many log contexts are open, for tests of the bookkeeping. */
export function openLogContexts(): number {
  return open;
}
