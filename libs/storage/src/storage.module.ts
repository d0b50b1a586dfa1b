import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, StorageConfig } from '@depot/config';
import { LinkSigner } from './links/link.signer';
import { StorageHealthIndicator } from './storage.health';
import {
  STORAGE_MODULE_OPTIONS,
  type StorageModuleAsyncOptions,
  type StorageModuleOptions,
} from './storage.module-options';
import { StorageService } from './storage.service';

/**
 * The disks of `storage.disks`, as {@link StorageService}, with the {@link LinkSigner} for
 * the api's download links and a readiness indicator. Global: import it once, in each app's
 * root module.
 *
 * ```ts
 * StorageModule.forRootAsync()
 * // or, with metrics:
 * StorageModule.forRootAsync({
 *   imports: [MetricsModule],
 *   inject: [StorageMetrics],
 *   useFactory: (metrics: StorageMetrics) => ({ observer: (event) => metrics.record(event) }),
 * })
 * ```
 */
@Module({})
export class StorageModule {
  static forRootAsync<Deps extends unknown[] = []>(
    options: StorageModuleAsyncOptions<Deps> = {},
  ): DynamicModule {
    const defaults = (): StorageModuleOptions => ({});
    return {
      module: StorageModule,
      global: true,
      imports: [ConfigModule, ...(options.imports ?? [])],
      providers: [
        {
          provide: STORAGE_MODULE_OPTIONS,
          useFactory: options.useFactory ?? defaults,
          inject: options.inject ?? [],
        },
        {
          provide: LinkSigner,
          useFactory: (config: StorageConfig) =>
            new LinkSigner(config.signingSecret, { previousSecrets: config.previousSigningSecrets }),
          inject: [StorageConfig],
        },
        StorageService,
        StorageHealthIndicator,
      ],
      exports: [StorageService, LinkSigner, StorageHealthIndicator],
    };
  }
}
