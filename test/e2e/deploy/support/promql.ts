import { parser } from '@prometheus-io/lezer-promql';

export interface Selector {
  metric: string;
  labels: string[];
}

/** Grafana's interval variables, replaced by a duration so the expression is plain PromQL. */
export function withoutGrafanaVariables(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b/g, '5m');
}

/**
 * Parses a PromQL expression with Prometheus's own grammar (@prometheus-io/lezer-promql) and
 * returns the vector selectors it uses: metric name and the label names it matches on.
 * Throws on a syntax error, naming where.
 */
export function selectors(expr: string): Selector[] {
  const tree = parser.parse(expr);
  const found: Selector[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        throw new Error(`PromQL syntax error at ${node.from} in: ${expr}`);
      }
      if (node.name !== 'VectorSelector') return;
      let metric: string | undefined;
      const labels: string[] = [];
      const inner = node.node.cursor();
      inner.firstChild();
      do {
        if (inner.name === 'Identifier') metric = expr.slice(inner.from, inner.to);
        if (inner.name === 'LabelMatchers') {
          for (let matcher = inner.node.firstChild; matcher; matcher = matcher.nextSibling) {
            const name = matcher.getChild('LabelName');
            const value = matcher.getChild('StringLiteral');
            if (!name) continue;
            const label = expr.slice(name.from, name.to);
            if (label === '__name__' && value) metric = expr.slice(value.from + 1, value.to - 1);
            else labels.push(label);
          }
        }
      } while (inner.nextSibling());
      if (!metric) throw new Error(`a selector without a metric name in: ${expr}`);
      found.push({ metric, labels });
      return false;
    },
  });
  return found;
}

export interface Family {
  type: string;
  /** Label names seen on its samples (empty when it has none yet). */
  labels: Set<string>;
}

/** The series names a Prometheus text page exposes, each with its family's type and labels. */
export function exposedSeries(text: string): Map<string, Family> {
  const series = new Map<string, Family>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const family: Family = { type: type!, labels: new Set() };
    const names =
      type === 'histogram'
        ? [`${name}_bucket`, `${name}_sum`, `${name}_count`]
        : type === 'summary'
          ? [name!, `${name}_sum`, `${name}_count`]
          : [name!];
    for (const seriesName of names) series.set(seriesName, family);
  }
  for (const [, name, labels] of text.matchAll(/^([a-zA-Z_:][\w:]*)\{([^}]*)\} /gm)) {
    const family = series.get(name!);
    for (const [, label] of labels!.matchAll(/([a-zA-Z_]\w*)="/g)) family?.labels.add(label!);
  }
  return series;
}
