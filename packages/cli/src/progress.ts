import cliProgress from 'cli-progress';
import type { Progress } from '@depot/client';
import { formatBytes, formatDuration } from './format.js';

/** One file's transfer as the user sees it. */
export interface Transfer {
  update(progress: Progress): void;
  /** The transfer finished: `line`, if any, is the result, for stdout. */
  done(line?: string): void;
}

export interface ProgressView {
  transfer(label: string, total: number | undefined): Transfer;
  close(): void;
}

interface Rates {
  percent: string;
  sizes: string;
  rate: string;
  /** Time left (not `eta`: cli-progress computes a token of that name itself). */
  left: string;
}

/** When a transfer started, and from how many bytes (more than 0 when it resumes). */
interface Start {
  time: number;
  bytes: number | undefined;
}

function measure(start: Start, { bytes, total }: Progress): Rates {
  start.bytes ??= bytes;
  const seconds = Math.max((Date.now() - start.time) / 1000, 0.001);
  const perSecond = (bytes - start.bytes) / seconds;
  return {
    percent: total ? `${Math.floor((bytes / total) * 100)}%` : '?%',
    sizes: `${formatBytes(bytes)}/${total === undefined ? '?' : formatBytes(total)}`,
    rate: `${formatBytes(Math.round(perSecond))}/s`,
    left: total && perSecond > 0 ? formatDuration((total - bytes) / perSecond) : '?',
  };
}

/**
 * Progress bars (bytes, rate, ETA) on stderr when it is a terminal; otherwise plain lines,
 * one per tenth of the transfer. Results go to stdout either way.
 */
export function progressView(stderr: NodeJS.WriteStream, stdout: NodeJS.WriteStream): ProgressView {
  return stderr.isTTY ? new BarView(stderr, stdout) : new LineView(stderr, stdout);
}

class BarView implements ProgressView {
  private readonly bars: cliProgress.MultiBar;
  /** Ctrl-C: give the terminal its cursor back before exiting (130, as shells report SIGINT). */
  private readonly interrupted = (): void => {
    this.bars.stop();
    process.stderr.write('\ndepot: interrupted; a resumable upload resumes when run again\n');
    process.exit(130);
  };

  constructor(
    stderr: NodeJS.WriteStream,
    private readonly stdout: NodeJS.WriteStream,
  ) {
    process.once('SIGINT', this.interrupted);
    this.bars = new cliProgress.MultiBar(
      {
        stream: stderr,
        format: '{label} [{bar}] {percent} {sizes} {rate} ETA {left}',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        fps: 10,
        forceRedraw: true,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  transfer(label: string, total: number | undefined): Transfer {
    const started: Start = { time: Date.now(), bytes: undefined };
    const bar = this.bars.create(total ?? 0, 0, { label, ...measure({ ...started }, { bytes: 0, total }) });
    let shown = '';
    return {
      update: (progress) => {
        if (progress.total !== undefined && progress.total !== total) bar.setTotal(progress.total);
        const rates = measure(started, progress);
        bar.update(progress.bytes, rates);
        // Redraw at every whole percent, besides cli-progress's own timer (fps).
        if (rates.percent !== shown) {
          shown = rates.percent;
          this.bars.update();
        }
      },
      done: (line) => {
        bar.stop();
        if (line === undefined) return;
        if (this.stdout.isTTY) {
          // Above the bars, on the same terminal; written out by the redraw.
          this.bars.log(`${line}\n`);
          this.bars.update();
        } else {
          this.stdout.write(`${line}\n`);
        }
      },
    };
  }

  close(): void {
    process.off('SIGINT', this.interrupted);
    this.bars.stop();
  }
}

class LineView implements ProgressView {
  constructor(
    private readonly stderr: NodeJS.WriteStream,
    private readonly stdout: NodeJS.WriteStream,
  ) {}

  transfer(label: string, total: number | undefined): Transfer {
    const started: Start = { time: Date.now(), bytes: undefined };
    let tenth = -1;
    return {
      update: (progress) => {
        const now = progress.total ? Math.floor((progress.bytes / progress.total) * 10) : 0;
        if (now <= tenth) return;
        tenth = now;
        const rates = measure(started, { bytes: progress.bytes, total: progress.total ?? total });
        this.stderr.write(`${label} ${rates.percent} ${rates.sizes} ${rates.rate} ETA ${rates.left}\n`);
      },
      done: (line) => {
        if (line !== undefined) this.stdout.write(`${line}\n`);
      },
    };
  }

  close(): void {}
}
