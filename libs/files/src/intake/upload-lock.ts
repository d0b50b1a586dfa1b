import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { Lock, Locker, RequestRelease } from '@tus/utils';
import { DataSource, type QueryRunner } from 'typeorm';
import { UploadsConfig } from '@depot/config';

/** The tus error shape: @tus/server answers with its status and body. */
export const UPLOAD_LOCKED = {
  status_code: 423,
  body: 'Another request is writing to this upload; retry once it is done.\n',
} as const;

const RETRY_MS = 50;

/**
 * Serialises the requests that write one upload across every api process: a PostgreSQL
 * session advisory lock on a key derived from the upload id, held on its own connection
 * while the request writes. A request that cannot take it within `uploads.lockWaitMs`
 * answers 423 Locked, which tus clients retry; the holder is never interrupted, so the
 * bytes on disk always match the offset the store reports.
 *
 * PostgreSQL releases a session lock when its connection ends, so a crashed process
 * leaves no lock behind. Needs nothing but PostgreSQL (no Redis).
 */
@Injectable()
export class PostgresUploadLocker implements Locker {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: UploadsConfig,
  ) {}

  newLock(id: string): Lock {
    return new PostgresUploadLock(this.dataSource, id, this.config.lockWaitMs);
  }
}

class PostgresUploadLock implements Lock {
  private runner: QueryRunner | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly id: string,
    private readonly waitMs: number,
  ) {}

  async lock(signal: AbortSignal, _requestRelease: RequestRelease): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const deadline = Date.now() + this.waitMs;
    try {
      for (;;) {
        const rows = (await runner.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [
          `depot.upload:${this.id}`,
        ])) as Array<{ locked: boolean }>;
        if (rows[0]?.locked) {
          this.runner = runner;
          return;
        }
        if (signal.aborted || Date.now() >= deadline) throw UPLOAD_LOCKED;
        await sleep(RETRY_MS);
      }
    } catch (error) {
      await runner.release();
      throw error;
    }
  }

  async unlock(): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    this.runner = undefined;
    try {
      await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`depot.upload:${this.id}`]);
    } finally {
      await runner.release();
    }
  }
}
