import type { FastifyInstance } from 'fastify';
import type { MetricsRegistry } from './metrics.registry';

/** Request body sizes: 1 KiB to 1 GiB, by powers of four. */
const SIZE_BUCKETS = [
  1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864, 268435456, 1073741824,
];

/** Times every HTTP request by route template (not raw URL, so ids do not explode the series). */
export function registerHttpMetrics(server: FastifyInstance, metrics: MetricsRegistry): void {
  const duration = metrics.histogram({
    name: 'depot_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  const size = metrics.histogram({
    name: 'depot_http_request_size_bytes',
    help: 'Declared body size (Content-Length) of requests answered below 400, by method and route template: uploads and their bytes.',
    labelNames: ['method', 'route'],
    buckets: SIZE_BUCKETS,
  });
  // Each series' child is resolved once: `observe` with a label object validates and copies
  // the labels on every call. The key set is bounded as the labels are (routes, methods, statuses).
  const durations = new Map<string, { observe(seconds: number): void }>();
  // A callback hook, not an async one: no promise per request.
  server.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const { method } = request;
    const status = reply.statusCode;
    const key = `${method} ${status} ${route}`;
    let series = durations.get(key);
    if (!series) {
      series = duration.labels({ method, route, status_code: String(status) });
      durations.set(key, series);
    }
    series.observe(reply.elapsedTime / 1000);
    const declared = request.headers['content-length'];
    if (declared !== undefined && status < 400) {
      const length = Number(declared);
      if (Number.isFinite(length) && length > 0) size.observe({ method, route }, length);
    }
    done();
  });
}
