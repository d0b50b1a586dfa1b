import { readFileSync } from 'node:fs';

/** Resident set size of a process, and its high-water mark, from `/proc/<pid>/status` (Linux). */
interface ProcessMemory {
  rssBytes: number;
  /** VmHWM: the kernel's own record of the process's peak resident set. */
  peakBytes: number;
}

/** Reads a process's memory now; undefined once it has gone. */
export function readMemory(pid: number): ProcessMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rssBytes: kib('VmRSS'), peakBytes: kib('VmHWM') };
}

/**
 * Samples a child process's RSS while a benchmark drives it. The peak is the larger of the
 * sampled maximum and the kernel's VmHWM, so a spike between samples is not missed; use
 * {@link resetPeak} before the measured phase to exclude the boot.
 */
export class RssSampler {
  private timer?: NodeJS.Timeout;
  private sampledPeak = 0;
  private hwmAtStart = 0;
  private last: ProcessMemory | undefined;

  constructor(
    readonly pid: number,
    private readonly intervalMs = 50,
  ) {}

  start(): this {
    this.resetPeak();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  /**
   * Forgets the peak so far. VmHWM cannot be reset from outside without privileges, so it
   * is used only when it grew past its value at the reset.
   */
  resetPeak(): void {
    const now = readMemory(this.pid);
    this.sampledPeak = now?.rssBytes ?? 0;
    this.hwmAtStart = now?.peakBytes ?? 0;
    this.last = now;
  }

  sample(): ProcessMemory | undefined {
    const now = readMemory(this.pid);
    if (now) {
      this.last = now;
      this.sampledPeak = Math.max(this.sampledPeak, now.rssBytes);
    }
    return now;
  }

  /** Peak RSS in bytes since the last reset. */
  peakBytes(): number {
    this.sample();
    const hwm = this.last?.peakBytes ?? 0;
    return hwm > this.hwmAtStart ? Math.max(hwm, this.sampledPeak) : this.sampledPeak;
  }

  stop(): number {
    const peak = this.peakBytes();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return peak;
  }
}

/** Bytes as MB (10^6), the unit the targets are written in. */
export function megabytes(bytes: number): number {
  return bytes / 1e6;
}

/** CPU time (user + system) a process has used so far, in ms, from `/proc/<pid>/stat`; undefined once it has gone. */
export function readCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command (which may hold spaces) start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS_PER_SECOND = 100;
