import { Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';

/**
 * The process's Prometheus registry. Metrics are created through it, once per name,
 * so two modules asking for the same family share it instead of failing on a duplicate.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly families = new Map<string, Counter | Gauge | Histogram>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'depot_' });
  }

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return this.family(config.name, () => new Counter({ ...config, registers: [this.registry] }));
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return this.family(config.name, () => new Gauge({ ...config, registers: [this.registry] }));
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return this.family(config.name, () => new Histogram({ ...config, registers: [this.registry] }));
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private family<T extends Counter | Gauge | Histogram>(name: string, create: () => T): T {
    let family = this.families.get(name);
    if (!family) {
      family = create();
      this.families.set(name, family);
    }
    return family as T;
  }
}
