import createClient, { type Client } from 'openapi-fetch';
import { DepotError } from './errors.js';
import type { paths } from './generated/openapi.js';

export interface DepotOptions {
  /** Where the API is, e.g. `https://depot.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** A tenant key (`dpk_…`), or the operator's admin key for `depot.admin`. */
  apiKey: string;
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** With `resumable: 'auto'`, uploads of a known size at or above this go through tus. Default 16 MiB. */
  resumableThresholdBytes?: number;
  /** Bytes per tus PATCH request. Default 8 MiB. */
  chunkSize?: number;
}

export const DEFAULT_RESUMABLE_THRESHOLD_BYTES = 16 * 1024 * 1024;
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The HTTP side shared by every part of the client: base URL, auth, typed requests, errors. */
export class Transport {
  readonly api: Client<paths>;
  readonly baseUrl: string;
  readonly authorization: string;
  readonly resumableThresholdBytes: number;
  readonly chunkSize: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: DepotOptions) {
    if (!options.baseUrl) throw new TypeError('Depot: baseUrl is required');
    if (!options.apiKey) throw new TypeError('Depot: apiKey is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.authorization = `Bearer ${options.apiKey}`;
    this.resumableThresholdBytes = options.resumableThresholdBytes ?? DEFAULT_RESUMABLE_THRESHOLD_BYTES;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    // Resolved at call time, so that a fetch patched after construction (tests, polyfills) is used.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.api = createClient<paths>({
      baseUrl: this.baseUrl,
      headers: { authorization: this.authorization },
      fetch: (request: Request) => this.fetchImpl(request),
    });
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /** A request outside the typed client (streamed bodies and downloads), with the key. */
  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', this.authorization);
    return this.fetchImpl(this.url(path), { ...init, headers });
  }

  /** The body of a successful typed call, or the API's problem as a {@link DepotError}. */
  async data<T>(call: Promise<Result<T>>): Promise<T> {
    const { data, error, response } = await call;
    if (!response.ok) {
      throw DepotError.from(response.status, error, {
        statusText: response.statusText,
        requestId: response.headers.get('x-request-id') ?? undefined,
      });
    }
    return data as T;
  }

  /** Like {@link data} for answers without a body (204, 202). */
  async done(call: Promise<Result<unknown>>): Promise<void> {
    await this.data(call);
  }
}
