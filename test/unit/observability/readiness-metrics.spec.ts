import { HealthService, MetricsRegistry } from '@depot/observability';
import { ReadinessMetrics } from '../../../libs/observability/src/health/readiness.metrics';

/** `depot_dependency_up` follows the readiness checks at scrape time, one series per dependency. */
describe('ReadinessMetrics', () => {
  it('reports 1 for a dependency that answers and 0 for one that does not, as of each scrape', async () => {
    let storageUp = true;
    const health = new HealthService([
      { name: 'db', check: async () => undefined },
      {
        name: 'storage',
        check: async () => {
          if (!storageUp) throw new Error('bucket unreachable');
        },
      },
    ]);
    const registry = new MetricsRegistry();
    new ReadinessMetrics(registry, health).onModuleInit();

    const first = await registry.text();
    expect(first).toMatch(/^depot_dependency_up\{dependency="db"\} 1$/m);
    expect(first).toMatch(/^depot_dependency_up\{dependency="storage"\} 1$/m);

    storageUp = false;
    const second = await registry.text();
    expect(second).toMatch(/^depot_dependency_up\{dependency="db"\} 1$/m);
    expect(second).toMatch(/^depot_dependency_up\{dependency="storage"\} 0$/m);
  });
});
