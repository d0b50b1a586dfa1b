import { Injectable } from '@nestjs/common';
import { ScheduledTask } from '@depot/scheduling';

/**
 * Each tick, the worker enqueues again files left pending or processing longer than
 * `files.stuckAfterSeconds` (same job id, so none runs twice), and webhook deliveries left
 * pending whose job is gone. This is what makes an enqueue lost to a Redis outage harmless.
 */
@Injectable()
export class RequeueStuckTask extends ScheduledTask {
  readonly name = 'requeueStuck' as const;
}
