import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from '@depot/observability';
import { JobQueueService } from './job-queue.service';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;

type Outcome = 'completed' | 'retried' | 'failed';

/** One job name's counters and duration histograms, with their labels bound once. */
export interface BoundJobMetrics {
  count: Record<Outcome, { inc(): void }>;
  duration: Record<Outcome, { observe(seconds: number): void }>;
}

/** Job outcome counters and durations, recorded by the worker's processors. */
@Injectable()
export class JobMetrics {
  /** By queue, then job name: two lookups of strings at hand, no key built per job. */
  private readonly bound = new Map<string, Map<string, BoundJobMetrics>>();

  readonly completed: Counter<'queue' | 'job'>;
  readonly failed: Counter<'queue' | 'job'>;
  readonly retried: Counter<'queue' | 'job'>;
  readonly duration: Histogram<'queue' | 'job' | 'outcome'>;

  constructor(metrics: MetricsRegistry) {
    const labelNames = ['queue', 'job'] as const;
    this.completed = metrics.counter({
      name: 'depot_jobs_completed_total',
      help: 'Jobs that finished successfully.',
      labelNames,
    });
    this.failed = metrics.counter({
      name: 'depot_jobs_failed_total',
      help: 'Jobs that failed for good (attempts exhausted or a permanent error).',
      labelNames,
    });
    this.retried = metrics.counter({
      name: 'depot_jobs_retried_total',
      help: 'Job attempts that failed and will be retried.',
      labelNames,
    });
    this.duration = metrics.histogram({
      name: 'depot_job_duration_seconds',
      help: 'Time spent in a job handler, by outcome (a batched job: with its wait for its batch).',
      labelNames: ['queue', 'job', 'outcome'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    });
  }

  /** The series of one queue's job name, resolved once (label hashing is per call otherwise). */
  forJob(queue: string, job: string): BoundJobMetrics {
    let byJob = this.bound.get(queue);
    if (!byJob) {
      byJob = new Map();
      this.bound.set(queue, byJob);
    }
    let bound = byJob.get(job);
    if (!bound) {
      bound = {
        count: {
          completed: this.completed.labels(queue, job),
          retried: this.retried.labels(queue, job),
          failed: this.failed.labels(queue, job),
        },
        duration: {
          completed: this.duration.labels(queue, job, 'completed'),
          retried: this.duration.labels(queue, job, 'retried'),
          failed: this.duration.labels(queue, job, 'failed'),
        },
      };
      byJob.set(job, bound);
    }
    return bound;
  }
}

/** Queue depth by state, read from Redis when `/metrics` is scraped. */
@Injectable()
export class QueueDepthMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly jobs: JobQueueService,
  ) {}

  onModuleInit(): void {
    const queues = this.jobs.all();
    this.metrics.gauge({
      name: 'depot_queue_jobs',
      help: 'Jobs in each queue by state.',
      labelNames: ['queue', 'state'],
      async collect() {
        this.reset();
        await Promise.all(
          queues.map(async (queue) => {
            try {
              const counts = await queue.getJobCounts(...JOB_STATES);
              for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
            } catch {
              // Redis unreachable: readiness reports it; the scrape still answers.
            }
          }),
        );
      },
    });
  }
}
