import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { WebhooksConfig } from '@depot/config';
import { assertLiteralHostAllowed, DestinationRefusedError, guardedLookup } from './destination-guard';

export interface WebhookRequest {
  url: string;
  /** The exact bytes to POST; the signature in `headers` is over them. */
  body: string;
  headers: Record<string, string>;
}

/** What one attempt came to. `statusCode` is set whenever the receiver answered. */
export interface WebhookResponse {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** The destination is refused by the SSRF guard: retrying cannot help. */
  refused: boolean;
  durationMs: number;
}

const USER_AGENT = 'Depot-Webhooks/1';

/**
 * Sends one webhook request: a POST with the body and headers given, through the SSRF
 * guard, within `webhooks.timeoutMs` (resolution, connection and response headers
 * together), without following redirects, on a connection of its own. A 2xx answer is
 * success; any other answer, a timeout or a network error is a failure to retry.
 */
@Injectable()
export class WebhookSender {
  constructor(private readonly config: WebhooksConfig) {}

  async send(request: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const result = (outcome: Omit<WebhookResponse, 'durationMs'>): WebhookResponse => ({
      ...outcome,
      durationMs: Math.round(performance.now() - started),
    });
    // One deadline for everything, including a receiver that trickles its response.
    const deadline = AbortSignal.timeout(this.config.timeoutMs);
    try {
      const url = new URL(request.url);
      assertLiteralHostAllowed(url, this.config);
      const statusCode = await this.post(url, request, deadline);
      if (statusCode >= 200 && statusCode < 300) {
        return result({ ok: true, statusCode, error: null, refused: false });
      }
      return result({ ok: false, statusCode, error: describeStatus(statusCode), refused: false });
    } catch (error) {
      if (error instanceof DestinationRefusedError) {
        return result({ ok: false, statusCode: null, error: error.message, refused: true });
      }
      const reason = deadline.aborted ? `timed out after ${this.config.timeoutMs} ms` : describeError(error);
      return result({ ok: false, statusCode: null, error: reason, refused: false });
    }
  }

  /** Resolves with the response's status code as soon as its headers arrive. */
  private post(url: URL, request: WebhookRequest, signal: AbortSignal): Promise<number> {
    const transport = url.protocol === 'https:' ? https : http;
    const body = Buffer.from(request.body);
    return new Promise<number>((resolve, reject) => {
      const outgoing = transport.request(url, {
        method: 'POST',
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          'content-length': String(body.length),
          'user-agent': USER_AGENT,
        },
        // A connection of its own: never a pooled socket pinned to another host's address.
        agent: false,
        lookup: guardedLookup(this.config),
        signal,
      });
      outgoing.once('response', (response) => {
        // The answer is in the status line; the body is read and dropped, never kept.
        response.on('error', () => undefined).resume();
        resolve(response.statusCode ?? 0);
      });
      // Later errors (the deadline passing while the body drains) settle nothing.
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}

function describeStatus(statusCode: number): string {
  if (statusCode >= 300 && statusCode < 400) return `HTTP ${statusCode}: redirects are not followed`;
  return `HTTP ${statusCode}`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
