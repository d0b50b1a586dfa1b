import { MetricsModule, MetricsRegistry } from '@depot/observability';
import type { StorageModuleAsyncOptions } from './storage.module-options';
import type { DiskObserver } from './wrappers/observed.disk';

/** Records every disk operation's duration by disk, operation and outcome. */
export function diskMetricsObserver(metrics: MetricsRegistry): DiskObserver {
  const duration = metrics.histogram({
    name: 'depot_storage_operation_duration_seconds',
    help: 'Storage operation duration by disk, operation and outcome (stream reads: time to first byte).',
    labelNames: ['disk', 'operation', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  return (event) =>
    duration.observe(
      { disk: event.disk, operation: event.operation, outcome: event.error ? 'error' : 'ok' },
      event.durationMs / 1000,
    );
}

/** `StorageModule.forRootAsync(withDiskMetrics())`: the disks, timed into the app's `/metrics`. */
export function withDiskMetrics(): StorageModuleAsyncOptions<[MetricsRegistry]> {
  return {
    imports: [MetricsModule],
    inject: [MetricsRegistry],
    useFactory: (metrics: MetricsRegistry) => ({ observer: diskMetricsObserver(metrics) }),
  };
}
