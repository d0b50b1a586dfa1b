import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { HealthService } from './health.service';

/**
 * `depot_dependency_up{dependency}`: 1 when the dependency answers the readiness check, 0
 * when it does not, measured when `/metrics` is scraped. It lets Prometheus alert on a
 * failing readiness without probing `/health/ready` itself.
 */
@Injectable()
export class ReadinessMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly health: HealthService,
  ) {}

  onModuleInit(): void {
    const health = this.health;
    this.metrics.gauge({
      name: 'depot_dependency_up',
      help: 'Whether each dependency answers the readiness check (1) or not (0), at scrape time.',
      labelNames: ['dependency'],
      async collect() {
        const report = await health.readiness();
        this.reset();
        for (const [dependency, check] of Object.entries(report.checks)) {
          this.set({ dependency }, check.status === 'up' ? 1 : 0);
        }
      },
    });
  }
}
