import type { FieldError, Problem } from './types.js';

/**
 * A request that the API answered with an error. Carries the RFC 9457 problem fields
 * (`type`, `title`, `status`, `detail`, `instance`, `errors`) as the API sent them; an
 * answer that is not problem+json (a proxy's HTML page) still gives `status` and `title`.
 */
export class DepotError extends Error {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string | undefined;
  readonly errors: FieldError[];
  /** The request id (`x-request-id`), to quote to the operator. */
  readonly requestId: string | undefined;

  constructor(problem: Problem, options?: { cause?: unknown }) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title, options);
    this.name = 'DepotError';
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.errors = problem.errors ?? [];
    this.requestId = problem.requestId;
  }

  /** Reads the problem from an error response (consuming its body). */
  static async fromResponse(response: Response): Promise<DepotError> {
    const text = await response.text().catch(() => '');
    return DepotError.from(response.status, text, {
      statusText: response.statusText,
      requestId: response.headers.get('x-request-id') ?? undefined,
    });
  }

  /** The error for an answer with `status` and body `body` (parsed JSON or text). */
  static from(
    status: number,
    body: unknown,
    context: { statusText?: string; requestId?: string } = {},
  ): DepotError {
    const problem = typeof body === 'string' ? parseProblem(body) : toProblem(body);
    if (problem) {
      return new DepotError({ ...problem, status, requestId: problem.requestId ?? context.requestId });
    }
    const text = typeof body === 'string' ? body : '';
    return new DepotError({
      type: 'about:blank',
      title: context.statusText || `HTTP ${status}`,
      status,
      detail: text.slice(0, 500),
      requestId: context.requestId,
    });
  }
}

function parseProblem(text: string): Problem | undefined {
  try {
    return toProblem(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function toProblem(value: unknown): Problem | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.title !== 'string') return undefined;
  return {
    type: typeof record.type === 'string' ? record.type : 'about:blank',
    title: record.title,
    status: typeof record.status === 'number' ? record.status : 0,
    detail: typeof record.detail === 'string' ? record.detail : '',
    instance: typeof record.instance === 'string' ? record.instance : undefined,
    requestId: typeof record.requestId === 'string' ? record.requestId : undefined,
    errors: Array.isArray(record.errors) ? (record.errors as FieldError[]) : undefined,
  };
}
