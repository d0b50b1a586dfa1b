/** One dependency that readiness checks: it resolves when the dependency answers, throws when not. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<void>;
}

export interface DependencyStatus {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

export interface ReadinessReport {
  status: 'ok' | 'error';
  checks: Record<string, DependencyStatus>;
}

/** Injection token for the list of indicators an app checks. */
export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');
