import type { SchedulerTaskName } from '@depot/config';

/** Carried by every job so logs of the work it causes share the request's id. */
export interface Traced {
  requestId?: string;
}

/**
 * Every queue, every job name on it, and the data each job carries. Producers and
 * consumers are typed from this one map, so a job cannot be sent that no handler expects.
 */
export interface JobPayloads {
  files: {
    process: Traced & { fileId: string; tenantId: string };
    purge: Traced & { fileId: string; tenantId: string; disk: string; storageKey: string };
  };
  webhooks: {
    deliver: Traced & { deliveryId: string };
  };
  maintenance: Record<SchedulerTaskName, Traced & { scheduledAt: string }>;
}

export type QueueName = keyof JobPayloads;
export type JobName<Q extends QueueName> = keyof JobPayloads[Q] & string;
export type JobData<Q extends QueueName, N extends JobName<Q>> = JobPayloads[Q][N];

export const QUEUE_NAMES = ['files', 'webhooks', 'maintenance'] as const satisfies readonly QueueName[];
