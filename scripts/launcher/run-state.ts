import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAlive, runs, waitGone } from './embedded-postgres';

/** What a running launcher records, so that the next one can clean up after a `kill -9`. */
interface RunRecord {
  launcher: number;
  apps: number[];
}

/**
 * The launcher's pid file (`.depot/launcher.json`): its own pid and its apps'. The apps run
 * in process groups of their own (see start.ts), so a launcher killed with -9 leaves them
 * running; the next start finds them here and stops them before it starts anything.
 */
export class RunState {
  constructor(private readonly file: string) {}

  private read(): RunRecord | undefined {
    if (!existsSync(this.file)) return undefined;
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as RunRecord;
    } catch {
      return undefined; // a torn write: nothing to trust in it
    }
  }

  /** The pid of another launcher that still runs on this checkout, if there is one. */
  liveLauncher(): number | undefined {
    const record = this.read();
    if (!record || record.launcher === process.pid) return undefined;
    return isAlive(record.launcher) && runs(record.launcher, 'start') ? record.launcher : undefined;
  }

  /**
   * Stops the apps a dead launcher left running (SIGTERM, then SIGKILL after `timeoutMs`);
   * resolves to how many there were.
   */
  async stopOrphans(timeoutMs: number): Promise<number> {
    const record = this.read();
    const orphans = (record?.apps ?? []).filter((pid) => isAlive(pid) && runs(pid, 'dist/apps/'));
    for (const pid of orphans) process.kill(pid, 'SIGTERM');
    await Promise.all(
      orphans.map(async (pid) => {
        if (!(await waitGone(pid, timeoutMs)) && isAlive(pid)) process.kill(pid, 'SIGKILL');
      }),
    );
    return orphans.length;
  }

  write(apps: number[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const record: RunRecord = { launcher: process.pid, apps };
    // Written whole and renamed into place: a reader never sees half a record.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(record));
    renameSync(`${this.file}.tmp`, this.file);
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }
}
