import { Injectable } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { JobQueueService } from '@depot/queue';
import type { FileEntity } from './entities/file.entity';

type ProcessedFile = Pick<FileEntity, 'id' | 'tenantId'>;
type PurgedFile = Pick<FileEntity, 'id' | 'tenantId' | 'disk' | 'storageKey'>;

/**
 * The jobs a file has on the `files` queue, with their ids: `process` (job id = file id) and
 * `purge` (job id `purge-<file id>`). A fixed id per file makes a repeat enqueue harmless
 * and lets requeueStuck tell whether a file's job is still in flight.
 */
@Injectable()
export class FileJobs {
  constructor(private readonly jobs: JobQueueService) {}

  /** Checks an upload and makes it ready or failed (FileProcessingService.process). */
  async enqueueProcess(file: ProcessedFile): Promise<void> {
    await this.jobs.add('files', 'process', processData(file), processOptions(file));
  }

  /** Enqueues processing again unless its job is in flight; the previous job's state, or undefined. */
  requeueProcess(file: ProcessedFile): Promise<string | undefined> {
    return this.jobs.requeue('files', 'process', processData(file), processOptions(file));
  }

  /** Removes a deleted file's bytes (FileProcessingService.purge). */
  async enqueuePurge(file: PurgedFile): Promise<void> {
    await this.jobs.add('files', 'purge', purgeData(file), purgeOptions(file));
  }

  /** Enqueues the purge again unless its job is in flight; the previous job's state, or undefined. */
  requeuePurge(file: PurgedFile): Promise<string | undefined> {
    return this.jobs.requeue('files', 'purge', purgeData(file), purgeOptions(file));
  }
}

function processData(file: ProcessedFile): { fileId: string; tenantId: string } {
  return { fileId: file.id, tenantId: file.tenantId };
}

function processOptions(file: ProcessedFile): JobsOptions & { jobId: string } {
  return { jobId: file.id };
}

function purgeData(file: PurgedFile): { fileId: string; tenantId: string; disk: string; storageKey: string } {
  return { fileId: file.id, tenantId: file.tenantId, disk: file.disk, storageKey: file.storageKey };
}

function purgeOptions(file: PurgedFile): JobsOptions & { jobId: string } {
  return { jobId: `purge-${file.id}` };
}
