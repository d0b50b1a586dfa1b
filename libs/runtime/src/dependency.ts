import type { Dependency } from '@depot/observability';

/** What to tell an operator whose dependency is down (a probe's error may carry a better `hint`). */
export const START_HINT = 'start one with `docker compose up -d postgres redis`';

/** Probes every dependency at once; resolves to one line per dependency that did not answer. */
export async function checkDependencies(app: string, dependencies: Dependency[]): Promise<string[]> {
  const results = await Promise.all(
    dependencies.map(async (dependency) => {
      try {
        await dependency.probe();
        return undefined;
      } catch (error) {
        const reason = describeError(error);
        const hint = (error as { hint?: unknown }).hint;
        return `${app}: cannot reach ${dependency.name} at ${dependency.address} (${reason}); ${typeof hint === 'string' ? hint : START_HINT}`;
      }
    }),
  );
  return results.filter((line): line is string => line !== undefined);
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message || String(code);
  }
  return String(error);
}
