import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AppName } from '../../support/app-launch';
import { AppProcess } from '../../support/app-process';
import { bearer, createTenant, upload, waitForStatus } from '../../support/depot-api';
import { testEnv } from '../../support/test-env';
import { waitFor } from '../../support/wait';
import { appNames, deploymentOf, promqlExpressions, render, ROOT, tool } from './support/manifests';
import { exposedSeries, type Family, selectors, withoutGrafanaVariables } from './support/promql';

/** Labels Prometheus itself puts on every scraped series. */
const TARGET_LABELS = ['job', 'instance'];

/**
 * What deploy/ says about the running apps holds for the built apps: the dashboard's, the
 * alert rules' and the autoscaler's PromQL parse and name only series the apps' /metrics
 * expose (and only labels those series carry), the alert rules pass promtool's checks and
 * their unit tests, and every probe in the Kubernetes manifests answers 200 on its app.
 */
describe('deploy/ against the running apps', () => {
  const apps = new Map<string, AppProcess>();
  let series: Map<string, Family>;
  let uploadedBytes: number;
  let receiver: Server;

  beforeAll(async () => {
    const env = { QUEUE_PREFIX: `${testEnv().queuePrefix}-deploy` };
    const started = await Promise.all(appNames().map((name) => AppProcess.startReady(name as AppName, env)));
    for (const app of started) apps.set(app.name, app);

    // One file's walk with a webhook to receive it, so that families with labels have series to show them.
    receiver = createServer((_request, response) => response.writeHead(204).end());
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const api = apps.get('api')!;
    const { apiKey } = await createTenant(api, 'Deploy Checks Ltd');
    const webhook = await api.fetch('/v1/webhooks', {
      method: 'POST',
      headers: { ...bearer(apiKey.key), 'content-type': 'application/json' },
      body: JSON.stringify({
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        events: ['file.ready'],
      }),
    });
    expect(webhook.status).toBe(201);
    const bytes = new TextEncoder().encode('%PDF-1.7 deploy checks'.repeat(100));
    uploadedBytes = bytes.length;
    const response = await upload(api, apiKey.key, bytes, { name: 'walk.pdf' });
    expect(response.status).toBe(201);
    await waitForStatus(api, apiKey.key, ((await response.json()) as { id: string }).id, ['ready']);

    await waitFor('the webhook attempt to be counted', 15_000, async () =>
      /^depot_webhook_attempts_total\{/m.test(await (await apps.get('worker')!.fetch('/metrics')).text()),
    );

    series = new Map();
    for (const app of started) {
      for (const [name, family] of exposedSeries(await (await app.fetch('/metrics')).text())) {
        const known = series.get(name);
        if (known) for (const label of family.labels) known.labels.add(label);
        else series.set(name, family);
      }
    }
  });

  afterAll(async () => {
    await Promise.all([...apps.values()].map((app) => app.stop()));
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const expressions = promqlExpressions();

  it('finds the dashboard, the alert rules and the KEDA trigger', () => {
    const where = expressions.map((entry) => entry.where);
    for (const source of [
      'deploy/grafana/',
      'deploy/prometheus/depot-rules.yaml',
      'worker-scaled-object.yaml',
    ]) {
      expect(where.some((path) => path.includes(source))).toBe(true);
    }
  });

  it.each(expressions.map((entry) => [entry.where, entry.expr]))(
    '%s names only series and labels the apps expose',
    (_where, expr) => {
      const used = selectors(withoutGrafanaVariables(expr));
      expect(used.length).toBeGreaterThan(0);
      for (const { metric, labels } of used) {
        const family = series.get(metric);
        expect({ metric, exposed: family !== undefined }).toEqual({ metric, exposed: true });
        const known = new Set([...family!.labels, ...TARGET_LABELS, 'le']);
        for (const label of labels)
          expect({ metric, label, known: known.has(label) }).toEqual({ metric, label, known: true });
      }
    },
  );

  it("the alert rules and docker-compose's Prometheus config pass promtool, and the rules their unit tests", () => {
    const promtool = tool('promtool', 'PROMTOOL', ['--version']);
    const run = (...args: string[]): string =>
      execFileSync(promtool, args, { cwd: join(ROOT, 'deploy/prometheus'), encoding: 'utf8', stdio: 'pipe' });
    expect(run('check', 'rules', 'depot-rules.yaml')).toMatch(/SUCCESS/);
    expect(run('test', 'rules', 'depot-rules.test.yaml')).toMatch(/SUCCESS/);
    expect(run('check', 'config', 'prometheus.yml')).toMatch(/SUCCESS/);
  });

  it('every probe of the production manifests answers 200 on its app', async () => {
    const objects = render('overlays/production');
    for (const [name, app] of apps) {
      const container = deploymentOf(objects, name).spec.template.spec.containers[0]!;
      const paths = [container.startupProbe, container.livenessProbe, container.readinessProbe].map(
        (probe) => probe!.httpGet!.path,
      );
      for (const path of paths)
        expect({ name, path, status: (await app.fetch(path)).status }).toEqual({ name, path, status: 200 });
    }
  });

  it('each app reports every readiness check as a dependency_up series', async () => {
    for (const app of apps.values()) {
      const { checks } = (await (await app.fetch('/health/ready')).json()) as {
        checks: Record<string, unknown>;
      };
      // The schema check is every app's: each waits for the migrations its release needs.
      expect(Object.keys(checks)).toContain('schema');
      const text = await (await app.fetch('/metrics')).text();
      for (const dependency of Object.keys(checks)) {
        expect(text).toMatch(new RegExp(`^depot_dependency_up\\{dependency="${dependency}"\\} 1$`, 'm'));
      }
    }
  });

  it('the api counts the bytes of accepted uploads by route', async () => {
    const text = await (await apps.get('api')!.fetch('/metrics')).text();
    const sum = /^depot_http_request_size_bytes_sum\{method="POST",route="\/v1\/files"\} (\d+)$/m.exec(text);
    expect(Number(sum?.[1])).toBeGreaterThan(uploadedBytes);
  });
});
