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
  /** Shown to the tenant: names no address the host resolved to and no internal detail. */
  error: string | null;
  /** For the operator's logs only: the full reason, with addresses. */
  cause: string | null;
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
export class WebhookSenderService {
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
        return result({ ok: true, statusCode, error: null, cause: null, refused: false });
      }
      const reason = describeStatus(statusCode);
      return result({ ok: false, statusCode, error: reason, cause: reason, refused: false });
    } catch (error) {
      if (error instanceof DestinationRefusedError) {
        return result({
          ok: false,
          statusCode: null,
          error: 'destination refused',
          cause: error.message,
          refused: true,
        });
      }
      if (deadline.aborted) {
        const reason = `timed out after ${this.config.timeoutMs} ms`;
        return result({ ok: false, statusCode: null, error: reason, cause: reason, refused: false });
      }
      return result({
        ok: false,
        statusCode: null,
        error: publicReason(error),
        cause: describeError(error),
        refused: false,
      });
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

/** Network errors as a tenant may see them: by kind, never with the addresses Node puts in messages. */
const PUBLIC_REASONS: Record<string, string> = {
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
};

function publicReason(error: unknown): string {
  // Read by shape, not instanceof: errors may come from another realm. Connecting to several
  // addresses in turn fails with an AggregateError holding one error each.
  const { code, errors } = (error ?? {}) as { code?: unknown; errors?: unknown };
  const inner = Array.isArray(errors) ? ((errors[0] ?? {}) as { code?: unknown }).code : undefined;
  const key = typeof code === 'string' ? code : typeof inner === 'string' ? inner : undefined;
  return (key && PUBLIC_REASONS[key]) ?? 'request failed';
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
