import { Injectable } from '@nestjs/common';
import { ScheduledTask } from '@depot/scheduling';

/**
 * Each tick, the worker writes `reports/usage/YYYY-MM-DD.csv` on the default disk for the
 * last whole UTC day before the tick: per tenant, files held and their bytes at the end of
 * the day, and uploads during it.
 */
@Injectable()
export class UsageReportTask extends ScheduledTask {
  readonly name = 'usageReport' as const;
}
