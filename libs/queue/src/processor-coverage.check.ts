import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { QUEUE_NAMES, type QueueName } from './job-payloads';
import { QueueProcessor } from './queue-processor';

/**
 * Refuses to start a worker unless every queue has exactly one processor: a queue with
 * none would silently pile up jobs, and two would race for them. (That every job name of a
 * queue has a handler is checked by the compiler, through `JobHandlers`.)
 */
@Injectable()
export class ProcessorCoverageCheck implements OnApplicationBootstrap {
  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    const problems = processorCoverageProblems(
      this.discovery
        .getProviders()
        .map((wrapper) => wrapper.instance as unknown)
        .filter((instance): instance is QueueProcessor<QueueName> => instance instanceof QueueProcessor),
    );
    if (problems.length > 0) throw new Error(`queue processors: ${problems.join('; ')}`);
  }
}

export function processorCoverageProblems(processors: ReadonlyArray<QueueProcessor<QueueName>>): string[] {
  const byQueue = new Map<string, string[]>();
  for (const processor of processors) {
    byQueue.set(processor.queueName, [
      ...(byQueue.get(processor.queueName) ?? []),
      processor.constructor.name,
    ]);
  }
  const problems: string[] = [];
  for (const queue of QUEUE_NAMES) {
    const found = byQueue.get(queue) ?? [];
    if (found.length === 0) problems.push(`queue "${queue}" has no processor`);
    if (found.length > 1)
      problems.push(`queue "${queue}" has ${found.length} processors (${found.join(', ')})`);
  }
  return problems;
}
