import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { HealthIndicator } from '@depot/observability';

/** Readiness: the queue's Redis connection answers PING. */
@Injectable()
export class RedisHealthIndicator implements HealthIndicator {
  readonly name = 'redis';

  constructor(@InjectQueue('files') private readonly queue: Queue) {}

  async check(): Promise<void> {
    // The Redis backend's client is an ioredis connection.
    const client = (await this.queue.getBackend().client) as unknown as Redis;
    if (client.status !== 'ready') throw new Error(`connection ${client.status}`);
    await client.ping();
  }
}
