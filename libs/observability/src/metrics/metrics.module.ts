import { Module } from '@nestjs/common';
import { ConfigModule } from '@depot/config';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

/** `/metrics` (Prometheus text) and the registry every module records into. */
@Module({
  imports: [ConfigModule],
  controllers: [MetricsController],
  providers: [MetricsRegistry],
  exports: [MetricsRegistry],
})
export class MetricsModule {}
