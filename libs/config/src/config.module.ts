import { Module, type Provider } from '@nestjs/common';
import { DepotConfig, SECTION_TOKENS } from './config.sections';
import { getConfig } from './config.state';

const sectionProviders: Provider[] = Object.entries(SECTION_TOKENS).map(([section, token]) => ({
  provide: token,
  useFactory: (config: DepotConfig) => config[section as keyof DepotConfig],
  inject: [DepotConfig],
}));

/**
 * Provides the validated configuration as typed sections: a service asks for
 * `DatabaseConfig`, not a string path. Import it in each module that needs config;
 * it is deliberately not global.
 */
@Module({
  providers: [{ provide: DepotConfig, useFactory: getConfig }, ...sectionProviders],
  exports: [DepotConfig, ...Object.values(SECTION_TOKENS)],
})
export class ConfigModule {}
