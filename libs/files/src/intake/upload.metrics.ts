import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { MetricsRegistry } from '@depot/observability';

/** How a file's bytes came in: one request (multipart, upload link) or a resumable tus upload. */
export type UploadSource = 'request' | 'tus';

/** `depot_uploads_*`: uploads started, completed, bytes received and abandoned uploads expired. */
@Injectable()
export class UploadMetrics {
  readonly started: Counter<'source'>;
  readonly completed: Counter<'source'>;
  readonly bytes: Counter<'source'>;
  readonly expired: Counter;

  constructor(metrics: MetricsRegistry) {
    this.started = metrics.counter({
      name: 'depot_uploads_started_total',
      help: 'Resumable uploads created (single-request uploads count only when completed).',
      labelNames: ['source'],
    });
    this.completed = metrics.counter({
      name: 'depot_uploads_completed_total',
      help: 'Uploads whose last byte arrived and whose file was recorded as pending.',
      labelNames: ['source'],
    });
    this.bytes = metrics.counter({
      name: 'depot_uploads_bytes_total',
      help: 'Bytes received by uploads that were kept (refused single-request uploads are not counted).',
      labelNames: ['source'],
    });
    this.expired = metrics.counter({
      name: 'depot_uploads_expired_total',
      help: 'Abandoned resumable uploads removed by retentionSweep after uploads.expireAfterSeconds.',
    });
  }
}
