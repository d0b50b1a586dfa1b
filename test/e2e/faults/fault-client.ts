import { createHash, randomBytes } from 'node:crypto';
import type { AppProcess } from '../../support/app-process';
import { bearer } from '../../support/depot-api';
import { waitFor } from '../../support/wait';

/** What only the fault tests need of the api: a streamed upload, readiness, fast requeueing. */

export interface Upload {
  /** The api's answer (or the network error, if the connection was cut). */
  response: Promise<Response>;
  /** SHA-256 of the file's bytes, known once they have all been sent. */
  sha256: Promise<string>;
  /**
   * Resolves once sending has stopped at `pauseAfter`: the api has read all but what the
   * socket buffers hold, so the upload is under way on its side.
   */
  paused: Promise<void>;
  size: number;
}

export interface UploadOptions {
  /** Bytes of file content, sent in 1 MiB chunks of random data. */
  size: number;
  /** Sending stops after this many content bytes until `resume` resolves. */
  pauseAfter?: number;
  resume?: Promise<void>;
}

const CHUNK = 1024 * 1024;

/**
 * `POST /v1/files` with a streamed multipart body of `size` random bytes, never held in
 * memory whole (a 1 MiB block is reused, with a fresh prefix per chunk, so the hash is
 * still of distinct bytes). Optionally pauses mid-body, to act on the api during an upload.
 */
export function streamUpload(api: AppProcess, key: string, options: UploadOptions): Upload {
  const boundary = `depot-faults-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const block = randomBytes(CHUNK);
  const hash = createHash('sha256');
  let resolveHash!: (sha256: string) => void;
  const sha256 = new Promise<string>((resolve) => (resolveHash = resolve));
  let resolvePaused!: () => void;
  const paused = new Promise<void>((resolve) => (resolvePaused = resolve));
  let sent = 0;
  let index = 0;
  let isPaused = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head);
    },
    async pull(controller) {
      if (options.pauseAfter !== undefined && sent >= options.pauseAfter && !isPaused) {
        isPaused = true;
        resolvePaused();
        await options.resume;
      }
      if (sent >= options.size) {
        resolveHash(hash.digest('hex'));
        controller.enqueue(tail);
        controller.close();
        return;
      }
      const stop =
        options.pauseAfter !== undefined && sent < options.pauseAfter ? options.pauseAfter : Infinity;
      const length = Math.min(CHUNK, options.size - sent, stop - sent);
      const chunk = Buffer.from(block.subarray(0, length));
      if (length >= 4) chunk.writeUInt32BE(index++, 0);
      hash.update(chunk);
      sent += length;
      controller.enqueue(chunk);
    },
  });
  const response = api.fetch('/v1/files', {
    method: 'POST',
    headers: { ...bearer(key), 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: 'half',
  } as RequestInit);
  return { response, sha256, paused, size: options.size };
}

export interface Readiness {
  status: string;
  checks: Record<string, { status: string; error?: string }>;
}

/** `GET /health/ready`: its status code and report. */
export async function readiness(app: AppProcess): Promise<{ code: number; body: Readiness }> {
  const response = await app.fetch('/health/ready', { signal: AbortSignal.timeout(5000) });
  return { code: response.status, body: (await response.json()) as Readiness };
}

/** Waits until `app`'s readiness says `dependency` is down (503), and returns the report. */
export function waitDown(app: AppProcess, dependency: string, timeoutMs = 15_000): Promise<Readiness> {
  return waitFor(`${app.name} to report ${dependency} down`, timeoutMs, async () => {
    const { code, body } = await readiness(app);
    return code === 503 && body.checks[dependency]?.status === 'down' && body;
  });
}

/** Waits until `app` is ready again (200), and returns the report. */
export function waitUp(app: AppProcess, timeoutMs = 20_000): Promise<Readiness> {
  return waitFor(`${app.name} to report ready`, timeoutMs, async () => {
    const { code, body } = await readiness(app);
    return code === 200 && body;
  });
}

/** Scheduler settings that make `requeueStuck` run every second on files stuck for a second. */
export const FAST_REQUEUE: Record<string, string> = {
  DEPOT__SCHEDULER__TASKS__REQUEUE_STUCK__CRON: '* * * * * *',
  DEPOT__SCHEDULER__TASKS__RETENTION_SWEEP__ENABLED: 'false',
  DEPOT__SCHEDULER__TASKS__USAGE_REPORT__ENABLED: 'false',
  DEPOT__FILES__STUCK_AFTER_SECONDS: '1',
};
