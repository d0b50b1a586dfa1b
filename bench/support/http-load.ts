import autocannon from 'autocannon';
import { cpuTimeMs } from './timing';

/** What one load of a server gave. */
export interface LoadSample {
  rps: number;
  p99: number;
  /** CPU time the server process used per request, in µs: steadier than req/s on a busy machine. */
  cpuPerRequestUs: number;
}

/**
 * Loads `url` with authenticated GETs (`Bearer key`) from `connections` connections for
 * `seconds`, and measures the server process `pid` meanwhile. Any error or non-2xx fails it.
 */
export async function loadSample(
  url: string,
  key: string,
  seconds: number,
  connections: number,
  pid: number,
): Promise<LoadSample> {
  const cpuBefore = cpuTimeMs(pid);
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${key}` },
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  const cpuPerRequestUs = ((cpuTimeMs(pid) - cpuBefore) * 1000) / result.requests.total;
  return { rps: result.requests.average, p99: result.latency.p99, cpuPerRequestUs };
}
