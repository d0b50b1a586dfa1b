import { Injectable } from '@nestjs/common';
import { ScheduledTask } from '@depot/scheduling';

/** Each tick, the worker marks files past their `expiresAt` deleted and purges their objects. */
@Injectable()
export class RetentionSweepTask extends ScheduledTask {
  readonly name = 'retentionSweep' as const;
}
