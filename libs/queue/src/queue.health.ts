import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueConfig } from '@depot/config';
import type { HealthIndicator } from '@depot/observability';

/**
 * Readiness of the queue backend: on redis (reported as `redis`) the queue's connection
 * answers PING; on postgres (reported as `queue`) the queue tables answer a count through
 * the queue's own pool.
 */
@Injectable()
export class QueueHealthIndicator implements HealthIndicator {
  readonly name: string;

  constructor(
    @InjectQueue('files') private readonly queue: Queue,
    private readonly config: QueueConfig,
  ) {
    this.name = config.backend === 'redis' ? 'redis' : 'queue';
  }

  async check(): Promise<void> {
    if (this.config.backend === 'postgres') {
      await this.queue.getJobCounts('waiting');
      return;
    }
    // The Redis backend's client is an ioredis connection.
    const client = (await this.queue.getBackend().client) as unknown as Redis;
    if (client.status !== 'ready') throw new Error(`connection ${client.status}`);
    await client.ping();
  }
}
