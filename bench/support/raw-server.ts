/**
 * The shared end of the raw baselines' HTTP servers (raw-*.script.ts): listen on a free
 * loopback port, tell the bench which (`BENCH_RESULT {"port": ...}`), and on SIGTERM close
 * the server, then each of `closers` in order, and exit. Packages only, like the scripts,
 * so that it compiles beside them (`compileForNode`).
 */
import type { FastifyInstance } from 'fastify';

export async function serveForBench(
  app: FastifyInstance,
  ...closers: Array<() => Promise<unknown>>
): Promise<void> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.stdout.write(
    `BENCH_RESULT ${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
  process.once('SIGTERM', () => {
    void closers
      .reduce((closed, close) => closed.then(close), app.close() as Promise<unknown>)
      .then(() => process.exit(0));
  });
}
