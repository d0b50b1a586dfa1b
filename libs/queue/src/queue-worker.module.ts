import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ProcessorCoverageCheck } from './processor-coverage.check';
import { QueueModule } from './queue.module';

/** What a process that consumes jobs adds to {@link QueueModule}: the one-processor-per-queue check. */
@Module({
  imports: [QueueModule, DiscoveryModule],
  providers: [ProcessorCoverageCheck],
  exports: [QueueModule],
})
export class QueueWorkerModule {}
