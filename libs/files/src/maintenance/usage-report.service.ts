import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StorageService } from '@depot/storage';

export interface UsageReportResult {
  /** The UTC day reported, `YYYY-MM-DD`. */
  day: string;
  /** Where the CSV was written on the default disk. */
  key: string;
  /** Where the per-bucket CSV was written beside it. */
  bucketsKey: string;
  tenants: number;
}

interface BucketUsageRow {
  tenant_id: string;
  bucket: string;
  files: string;
  bytes: string;
  uploads: string;
}

interface UsageRow {
  tenant_id: string;
  tenant_name: string;
  files: string;
  bytes: string;
  uploads: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const USAGE_REPORT_COLUMNS = ['tenant_id', 'tenant_name', 'files', 'bytes', 'uploads'] as const;
export const BUCKET_USAGE_REPORT_COLUMNS = ['tenant_id', 'bucket', 'files', 'bytes', 'uploads'] as const;

/** The key a day's report is written at: `reports/usage/YYYY-MM-DD.csv`. */
export function usageReportKey(day: string): string {
  return `reports/usage/${day}.csv`;
}

/** The key a day's per-bucket report is written at: `reports/usage/YYYY-MM-DD-buckets.csv`. */
export function bucketUsageReportKey(day: string): string {
  return `reports/usage/${day}-buckets.csv`;
}

/**
 * The day a run at `scheduledAt` reports: the last whole UTC day before it. The default
 * cron (00:05 UTC) reports yesterday, complete; running again later that day, or by hand,
 * reports the same day again.
 */
export function reportedDay(scheduledAt: Date): { day: string; start: Date; end: Date } {
  const end = new Date(Math.floor(scheduledAt.getTime() / DAY_MS) * DAY_MS);
  const start = new Date(end.getTime() - DAY_MS);
  return { day: start.toISOString().slice(0, 10), start, end };
}

/**
 * `usageReport`: one CSV per UTC day on the default disk, one row per tenant that existed
 * by the end of the day, ordered by tenant id:
 *
 * - `files`, `bytes`: files the tenant held at the end of the day (uploaded before it
 *   ended, not deleted by then) and their total size;
 * - `uploads`: files uploaded during the day.
 *
 * Beside it, `YYYY-MM-DD-buckets.csv` has the same figures per bucket (`tenant_id`,
 * `bucket`, `files`, `bytes`, `uploads`), one row per bucket that existed by the end of the
 * day, ordered by tenant id and bucket name; files whose bucket was deleted since are not in it.
 *
 * The file is computed from the rows' timestamps for that day only and written whole (the
 * disk writes atomically), so running twice writes the same file.
 */
@Injectable()
export class UsageReportService {
  private readonly logger = new Logger(UsageReportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: StorageService,
  ) {}

  async run(scheduledAt: Date): Promise<UsageReportResult> {
    const { day, start, end } = reportedDay(scheduledAt);
    const rows = await this.dataSource.query<UsageRow[]>(TENANT_USAGE, [start, end]);
    const key = usageReportKey(day);
    await this.write(key, USAGE_REPORT_COLUMNS, rows.map(csvLine));
    const bucketRows = await this.dataSource.query<BucketUsageRow[]>(BUCKET_USAGE, [start, end]);
    const bucketsKey = bucketUsageReportKey(day);
    await this.write(
      bucketsKey,
      BUCKET_USAGE_REPORT_COLUMNS,
      bucketRows.map((row) => [row.tenant_id, row.bucket, row.files, row.bytes, row.uploads].join(',')),
    );
    this.logger.log({ msg: 'usage report written', day, key, bucketsKey, tenants: rows.length });
    return { day, key, bucketsKey, tenants: rows.length };
  }

  private write(key: string, columns: readonly string[], lines: string[]): Promise<unknown> {
    const csv = [columns.join(','), ...lines].join('\n') + '\n';
    return this.storage.disk().write(key, csv, { contentType: 'text/csv; charset=utf-8' });
  }
}

/**
 * The report's figures for each owner of files (a tenant, a bucket) that existed by the end
 * of the day ($2), over its files created before then: `files` and `bytes` held at the end
 * of the day, `uploads` during it (from $1); after the owner's `columns`, in `order`.
 */
function usageQuery(owner: { columns: string; from: string; files: string; order: string }): string {
  const held = 'f.deleted_at IS NULL OR f.deleted_at >= $2';
  return `SELECT ${owner.columns},
                 count(f.id) FILTER (WHERE ${held}) AS files,
                 coalesce(sum(f.size) FILTER (WHERE ${held}), 0) AS bytes,
                 count(f.id) FILTER (WHERE f.created_at >= $1) AS uploads
            FROM ${owner.from} owner
            LEFT JOIN files f ON ${owner.files} AND f.created_at < $2
           WHERE owner.created_at < $2
           GROUP BY ${owner.order}
           ORDER BY ${owner.order}`;
}

/** Per tenant (its name follows from its id, the key). */
const TENANT_USAGE = usageQuery({
  columns: 'owner.id AS tenant_id, owner.name AS tenant_name',
  from: 'tenants',
  files: 'f.tenant_id = owner.id',
  order: 'owner.id',
});

/** Per bucket; bucket names are `[a-z0-9-]`: nothing to quote. */
const BUCKET_USAGE = usageQuery({
  columns: 'owner.tenant_id, owner.name AS bucket',
  from: 'buckets',
  files: 'f.bucket_id = owner.id',
  order: 'owner.tenant_id, owner.name',
});

function csvLine(row: UsageRow): string {
  return [row.tenant_id, csvField(row.tenant_name), row.files, row.bytes, row.uploads].join(',');
}

/**
 * RFC 4180 quoting, and a leading `'` on text a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`, tab, carriage return), since tenant names are free text.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}
