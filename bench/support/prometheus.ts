/** Reading an app's `/metrics` (Prometheus text) to explain a figure. */

interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parsePrometheus(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

export async function scrapeMetrics(appUrl: string): Promise<MetricSample[]> {
  const response = await fetch(`${appUrl}/metrics`);
  if (!response.ok) throw new Error(`GET ${appUrl}/metrics: ${response.status}`);
  return parsePrometheus(await response.text());
}

/** Whether a sample carries every label of `where` with its value. */
function hasLabels(sample: MetricSample, where: Record<string, string>): boolean {
  return Object.entries(where).every(([key, value]) => sample.labels[key] === value);
}

/** The value of the first series of `name` with the labels of `where`; undefined if none. */
export function sampleValue(
  samples: readonly MetricSample[],
  name: string,
  where: Record<string, string> = {},
): number | undefined {
  return samples.find((sample) => sample.name === name && hasLabels(sample, where))?.value;
}

/**
 * Mean of a histogram (its `_sum` over its `_count`) for every value of `by` among the
 * series matching `where`, in milliseconds; with the count.
 */
export function histogramMeans(
  samples: readonly MetricSample[],
  histogram: string,
  by: string,
  where: Record<string, string> = {},
): Map<string, { meanMs: number; count: number }> {
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const sample of samples) {
    if (!hasLabels(sample, where)) continue;
    const key = sample.labels[by] ?? '';
    if (sample.name === `${histogram}_sum`) sums.set(key, (sums.get(key) ?? 0) + sample.value);
    if (sample.name === `${histogram}_count`) counts.set(key, (counts.get(key) ?? 0) + sample.value);
  }
  const means = new Map<string, { meanMs: number; count: number }>();
  for (const [key, count] of counts) {
    if (count > 0) means.set(key, { meanMs: ((sums.get(key) ?? 0) / count) * 1000, count });
  }
  return means;
}
