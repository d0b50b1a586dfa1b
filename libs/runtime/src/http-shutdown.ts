import type { Server, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@depot/observability';

/**
 * How an app's HTTP server lets go of its clients on shutdown, so that closing it neither
 * waits on them past `app.shutdownTimeoutMs` nor cuts a handler short of its cleanup:
 *
 * - once shutdown begins, every response carries `Connection: close`, so a keep-alive
 *   client whose request was in flight does not hold the server open afterwards (idle
 *   connections are closed by the server's own close);
 * - requests still in flight after the grace period (a stalled upload, a slow reader) have
 *   their connections closed, and their handlers see the request end early; so do
 *   connections whose request has not reached a handler yet (headers still arriving);
 * - closing the server then waits (up to half the grace period again) for every handler
 *   to have answered, so that one whose request was cut finishes its cleanup (a cut
 *   upload removes its partial bytes) before the app closes its database and Redis
 *   connections. A request counts as answered once its response is produced (`onSend`),
 *   which Fastify runs even when the client is gone.
 */
export class HttpShutdown {
  private stopping = false;
  private drainUntil = 0;
  /** Responses not yet produced, by Node's response object (one per request). */
  private readonly inFlight = new Set<ServerResponse>();
  private readonly idle: Array<() => void> = [];

  constructor(
    fastify: FastifyInstance,
    private readonly server: Server,
    private readonly logger: Logger,
  ) {
    // Before shutdown, a closed response ends the tracking whatever the handler does (a
    // client gone mid-body may never get an answer); after, the handler is waited for. One
    // listener for every response (it closes once), not a closure per request.
    const answered = (response: ServerResponse): void => this.answered(response);
    const isStopping = (): boolean => this.stopping;
    function closed(this: ServerResponse): void {
      if (!isStopping()) answered(this);
    }
    fastify.addHook('onRequest', (_request, reply, done) => {
      this.inFlight.add(reply.raw);
      reply.raw.on('close', closed);
      done();
    });
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      this.answered(reply.raw);
      if (this.stopping) void reply.header('connection', 'close');
      done(null, payload);
    });
    fastify.addHook('onClose', (_instance, done) => {
      void this.drained().then(() => done());
    });
  }

  /** Whether shutdown has begun: every response from then on closes its connection. */
  get closing(): boolean {
    return this.stopping;
  }

  /** Shutdown has begun: requests in flight have `graceMs` to finish before their connections are closed. */
  begin(graceMs: number): void {
    this.stopping = true;
    this.drainUntil = Date.now() + graceMs * 1.5;
    const cutoff = setTimeout(() => {
      if (this.inFlight.size > 0) {
        this.logger.warn(
          { graceMs, requests: this.inFlight.size },
          'closing the connections of requests still in flight',
        );
      }
      // Every connection, even with no handler running: one whose request has not reached a
      // handler yet (headers still arriving) would otherwise hold the server's close open
      // until Node's own headers timeout.
      this.server.closeAllConnections();
    }, graceMs);
    cutoff.unref();
  }

  private answered(response: ServerResponse): void {
    if (!this.inFlight.delete(response) || this.inFlight.size > 0) return;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Resolves when no handler is running, or when the drain period is over (saying what it left). */
  private async drained(): Promise<void> {
    const left = this.drainUntil - Date.now();
    if (this.inFlight.size === 0 || left <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      new Promise<false>((resolve) => this.idle.push(() => resolve(false))),
      new Promise<true>((resolve) => (timer = setTimeout(() => resolve(true), left))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.logger.warn({ requests: this.inFlight.size }, 'requests still running as the server closes');
    }
  }
}
