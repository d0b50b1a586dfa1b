import { type DynamicModule, type InjectionToken, Module, type ModuleMetadata } from '@nestjs/common';
import { ConfigModule } from '@depot/config';
import { HEALTH_INDICATORS, type HealthIndicator } from './health-indicator';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { MetricsModule } from '../metrics/metrics.module';
import { ReadinessMetrics } from './readiness.metrics';

export interface HealthModuleOptions {
  /** Modules that provide the indicators. */
  imports?: ModuleMetadata['imports'];
  /** Tokens of the {@link HealthIndicator}s this app's readiness checks. */
  indicators: InjectionToken<HealthIndicator>[];
}

/** `/health/live` and `/health/ready` over the indicators an app chooses. */
@Module({})
export class HealthModule {
  static register(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [ConfigModule, ...(options.imports ?? []), MetricsModule],
      controllers: [HealthController],
      providers: [
        HealthService,
        ReadinessMetrics,
        {
          provide: HEALTH_INDICATORS,
          useFactory: (...indicators: HealthIndicator[]) => indicators,
          inject: options.indicators,
        },
      ],
      exports: [HealthService],
    };
  }
}
