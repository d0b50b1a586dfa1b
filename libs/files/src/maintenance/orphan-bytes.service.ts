import { Injectable, Logger } from '@nestjs/common';
import { FilesConfig } from '@depot/config';
import { isUuid } from '@depot/database';
import { StorageService } from '@depot/storage';
import { FilesRepository } from '../files.repository';

export interface OrphanBytesResult {
  /** Objects under a tenant's `incoming/` with no file row, older than `files.stuckAfterSeconds`, removed. */
  orphansRemoved: number;
  /** True when the run stopped at its cap and left some for the next one. */
  orphansMore: boolean;
}

/** Old enough objects looked at per run, orphaned or not. */
const MAX_PER_RUN = 1000;
const BATCH_SIZE = 100;

/**
 * Part of `requeueStuck`: an upload's bytes reach `tenants/{tenantId}/incoming/{fileId}`
 * before its row is inserted, so an api killed between the two (SIGKILL, a lost node)
 * leaves bytes no row leads to, which nothing else would ever remove. Objects there with
 * no row at all (a deleted file keeps its row until purged, so its bytes are the purge's)
 * that are older than `files.stuckAfterSeconds` are removed. The object appears whole
 * at the end of its upload (disks write atomically), so its age is the time since its
 * upload ended, and an upload still finishing is never taken.
 *
 * Uploads land on the default disk; bytes orphaned on a disk that was the default before
 * a configuration change are not looked for.
 */
@Injectable()
export class OrphanBytesService {
  private readonly logger = new Logger(OrphanBytesService.name);

  constructor(
    private readonly files: FilesRepository,
    private readonly storage: StorageService,
    private readonly config: FilesConfig,
  ) {}

  async run(now: Date = new Date()): Promise<OrphanBytesResult> {
    const cutoff = now.getTime() - this.config.stuckAfterSeconds * 1000;
    const disk = this.storage.disk();
    let removed = 0;
    let examined = 0;
    /** Old enough objects not yet checked for a row: file id → key. */
    let candidates = new Map<string, string>();
    const removeOrphans = async (): Promise<void> => {
      const keyed = candidates;
      candidates = new Map();
      const withRows = await this.files.existing([...keyed.keys()]);
      for (const [fileId, key] of keyed) {
        if (withRows.has(fileId)) continue;
        await disk.remove(key);
        removed += 1;
        this.logger.warn({ msg: 'removed upload bytes no file row leads to', key });
      }
    };

    for await (const tenant of disk.list('tenants')) {
      if (tenant.type !== 'directory') continue;
      for await (const entry of disk.list(`${tenant.key}incoming`)) {
        if (entry.type !== 'file' || entry.lastModified.getTime() > cutoff) continue;
        const fileId = entry.key.slice(entry.key.lastIndexOf('/') + 1);
        if (!isUuid(fileId)) continue;
        if (examined === MAX_PER_RUN) {
          await removeOrphans();
          return { orphansRemoved: removed, orphansMore: true };
        }
        examined += 1;
        candidates.set(fileId, entry.key);
        if (candidates.size === BATCH_SIZE) await removeOrphans();
      }
    }
    await removeOrphans();
    return { orphansRemoved: removed, orphansMore: false };
  }
}
