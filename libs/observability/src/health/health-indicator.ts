/** One dependency that readiness checks: it resolves when the dependency answers, throws when not. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<void>;
}

export interface DependencyStatus {
  status: 'up' | 'down';
  /** Shown with the admin key only. */
  latencyMs?: number;
  /** Shown with the admin key only: it may name hosts and paths. */
  error?: string;
}

export interface ReadinessReport {
  status: 'ok' | 'error';
  checks: Record<string, DependencyStatus>;
}

/** Injection token for the list of indicators an app checks. */
export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');

/**
 * Something an app needs at boot, probed once before Nest starts (see `runApp` in
 * @depot/runtime), so a missing one fails fast with one line naming it and its address.
 * The libs that own a dependency declare it (`databaseDependency`, `redisDependency`, ...).
 */
export interface Dependency {
  /** Human name, e.g. "PostgreSQL". */
  name: string;
  /** Where it was looked for, without secrets, e.g. "127.0.0.1:5432/depot". */
  address: string;
  probe(): Promise<void>;
}
