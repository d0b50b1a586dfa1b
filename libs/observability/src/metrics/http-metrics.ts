import type { FastifyInstance } from 'fastify';
import type { MetricsRegistry } from './metrics.registry';

/** Times every HTTP request by route template (not raw URL, so ids do not explode the series). */
export function registerHttpMetrics(server: FastifyInstance, metrics: MetricsRegistry): void {
  const duration = metrics.histogram({
    name: 'depot_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  server.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}
