import { Inject, Injectable, Logger } from '@nestjs/common';
import { HEALTH_INDICATORS, type HealthIndicator, type ReadinessReport } from './health-indicator';

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);
  private shuttingDown = false;
  /** The last status of each check, so a check going down (or back up) is logged once, not every probe. */
  private readonly last = new Map<string, 'up' | 'down'>();

  constructor(@Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[]) {}

  /** Once shutdown starts, readiness fails so load balancers stop sending work. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async readiness(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.indicators.map(async (indicator) => {
        const started = performance.now();
        try {
          await withTimeout(indicator.check(), CHECK_TIMEOUT_MS);
          return [
            indicator.name,
            { status: 'up', latencyMs: Math.round(performance.now() - started) },
          ] as const;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return [
            indicator.name,
            { status: 'down', latencyMs: Math.round(performance.now() - started), error: message },
          ] as const;
        }
      }),
    );
    for (const [name, result] of results) {
      if (this.last.get(name) === result.status) continue;
      if (result.status === 'down') {
        this.logger.warn(
          { check: name, error: 'error' in result ? result.error : undefined },
          'readiness check down',
        );
      } else if (this.last.has(name)) {
        this.logger.log({ check: name }, 'readiness check up again');
      }
      this.last.set(name, result.status);
    }
    const checks = Object.fromEntries(results);
    const allUp = results.every(([, result]) => result.status === 'up');
    return { status: allUp && !this.shuttingDown ? 'ok' : 'error', checks };
  }
}
