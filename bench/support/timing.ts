import { readdirSync, readFileSync } from 'node:fs';

/** Milliseconds from a monotonic clock. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The median of the values (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `work` and returns its result with the wall time it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = nowMs();
  const result = await work();
  return { result, ms: nowMs() - start };
}

/**
 * Runs each of the named variants `times` times, interleaved (a, b, a, b...) so that a
 * noisy spell on the machine hits both sides alike, and returns every sample per name.
 */
export async function interleave<K extends string>(
  times: number,
  variants: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(variants) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < times; round++) {
    for (const name of names) samples[name].push(await variants[name]());
  }
  return samples;
}

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/**
 * How long to pause after `sync`, for the device to finish what it was told to write back,
 * before a transfer of `bytes`: 500 ms at the full runs' sizes (256 MiB and up), 100 ms at
 * the quick runs' few MiB, which leave little to write back.
 */
export function settleMsBefore(bytes: number): number {
  return bytes >= 256 * MiB ? 500 : 100;
}

/** Bytes per second as MB/s (10^6 bytes, as disks and networks count). */
export function mbPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

/** User + system CPU time of a process so far, in ms (Linux: /proc/<pid>/stat, in clock ticks of 10 ms). */
export function cpuTimeMs(pid: number): number {
  const fields = procStat(pid);
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The system (kernel) part of a process's CPU time, in ms: a flush's write-back is charged there. */
export function systemTimeMs(pid: number): number {
  return Number(procStat(pid)[12]) * 10;
}

/** The fields of /proc/<pid>/stat after the command name (utime is [11], stime [12], in ticks of 10 ms). */
function procStat(pid: number | 'self'): string[] {
  return statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** The fields of a /proc stat line after the command name, which is in parentheses. */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
}

/**
 * Each thread of `pid` so far: its name (`main` for the main thread), and its user and
 * system CPU time in ms (/proc/<pid>/task/<tid>/stat). A thread that ends meanwhile is left out.
 */
export function threadCpuTimes(pid: number): Array<{ name: string; user: number; system: number }> {
  const threads: Array<{ name: string; user: number; system: number }> = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = statFields(stat);
    threads.push({ name, user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 });
  }
  return threads;
}

/**
 * User + system CPU time of this process and of its children that have ended, in ms
 * (/proc/self/stat: utime, stime, cutime, cstime). A child still running is not in it yet.
 */
export function cpuWithEndedChildrenMs(): number {
  return (
    procStat('self')
      .slice(11, 15)
      .reduce((sum, ticks) => sum + Number(ticks), 0) * 10
  );
}
