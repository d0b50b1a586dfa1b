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
    const rows = await this.usage(start, end);
    const csv = [USAGE_REPORT_COLUMNS.join(','), ...rows.map((row) => csvLine(row))].join('\n') + '\n';
    const key = usageReportKey(day);
    await this.storage.disk().write(key, csv, { contentType: 'text/csv; charset=utf-8' });
    const bucketRows = await this.bucketUsage(start, end);
    const bucketsCsv =
      [
        BUCKET_USAGE_REPORT_COLUMNS.join(','),
        ...bucketRows.map((row) => [row.tenant_id, row.bucket, row.files, row.bytes, row.uploads].join(',')),
      ].join('\n') + '\n';
    const bucketsKey = bucketUsageReportKey(day);
    await this.storage.disk().write(bucketsKey, bucketsCsv, { contentType: 'text/csv; charset=utf-8' });
    this.logger.log({ msg: 'usage report written', day, key, bucketsKey, tenants: rows.length });
    return { day, key, bucketsKey, tenants: rows.length };
  }

  private bucketUsage(start: Date, end: Date): Promise<BucketUsageRow[]> {
    return this.dataSource.query<BucketUsageRow[]>(bucketUsageQuery(), [start, end]);
  }

  private usage(start: Date, end: Date): Promise<UsageRow[]> {
    return this.dataSource.query<UsageRow[]>(
      `SELECT t.id AS tenant_id,
              t.name AS tenant_name,
              count(f.id) FILTER (WHERE f.deleted_at IS NULL OR f.deleted_at >= $2) AS files,
              coalesce(sum(f.size) FILTER (WHERE f.deleted_at IS NULL OR f.deleted_at >= $2), 0) AS bytes,
              count(f.id) FILTER (WHERE f.created_at >= $1) AS uploads
         FROM tenants t
         LEFT JOIN files f ON f.tenant_id = t.id AND f.created_at < $2
        WHERE t.created_at < $2
        GROUP BY t.id, t.name
        ORDER BY t.id`,
      [start, end],
    );
  }
}

/** Bucket names are `[a-z0-9-]`: nothing to quote. */
function bucketUsageQuery(): string {
  return `SELECT b.tenant_id,
                 b.name AS bucket,
                 count(f.id) FILTER (WHERE f.deleted_at IS NULL OR f.deleted_at >= $2) AS files,
                 coalesce(sum(f.size) FILTER (WHERE f.deleted_at IS NULL OR f.deleted_at >= $2), 0) AS bytes,
                 count(f.id) FILTER (WHERE f.created_at >= $1) AS uploads
            FROM buckets b
            LEFT JOIN files f ON f.bucket_id = b.id AND f.created_at < $2
           WHERE b.created_at < $2
           GROUP BY b.tenant_id, b.name
           ORDER BY b.tenant_id, b.name`;
}

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
