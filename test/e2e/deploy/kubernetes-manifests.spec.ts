import { randomBytes } from 'node:crypto';
import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DepotConfigShape,
  loadConfig,
  PRODUCTION_ENV_ONLY,
  redactConfig,
  WELL_KNOWN_ENV,
} from '@depot/config';
import {
  appNames,
  type ConfigMapObject,
  type Container,
  deploymentOf,
  find,
  type K8sObject,
  kustomizations,
  type PodTemplateOwner,
  render,
  ROOT,
} from './support/manifests';

/**
 * deploy/kubernetes, checked offline: every kustomization renders with `kubectl kustomize`,
 * every object validates against the Kubernetes schemas (kubernetes-models), and each app's
 * rendered environment, with the Secret's keys filled in, passes the apps' own production
 * config validation. What the apps need is read from the code (libs/config, nest-cli.json,
 * the Dockerfile, bench/RESULTS.md), not from a list kept here, so a merge that adds a
 * required variable, an app or a heavier process fails this test until deploy/ follows.
 */

type ModelClass = new (data: unknown) => { validate(): void };

/** The schema modules, by apiVersion. An apiVersion missing here fails the test: add its module. */
const MODELS: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'batch/v1': batch,
  'autoscaling/v2': autoscaling,
  'policy/v1': policy,
  'keda.sh/v1alpha1': keda,
};

function validate(object: K8sObject): void {
  const Model = MODELS[object.apiVersion]?.[object.kind] as ModelClass | undefined;
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

const OVERLAYS = kustomizations().filter((path) => path.startsWith('overlays/'));
const APPS = appNames();
const rendered = new Map(kustomizations().map((path) => [path, render(path)]));

/** `256Mi`, `1Gi`, `500M` → bytes; `500m`, `2` → cores. */
function quantity(value: string): number {
  const match = /^([\d.]+)(m|Ki|Mi|Gi|k|M|G)?$/.exec(value);
  if (!match) throw new Error(`cannot read quantity ${value}`);
  const units: Record<string, number> = {
    m: 1e-3,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    k: 1e3,
    M: 1e6,
    G: 1e9,
  };
  return Number(match[1]) * (match[2] ? units[match[2]]! : 1);
}

/** Depot's RSS figures for an app in bench/RESULTS.md, in bytes: idle (f) and the highest measured. */
function measuredRss(app: string): { idle: number; peak: number } {
  const rows = readFileSync(join(ROOT, 'bench/RESULTS.md'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| (') && /\bRSS\b/.test(line) && new RegExp(`\\b${app}\\b`).test(line))
    .map((line) => {
      const [label, depot] = line
        .split('|')
        .slice(1, 3)
        .map((cell) => cell.trim());
      const figure = /^([\d.,]+) MB$/.exec(depot!);
      return figure ? { label: label!, bytes: Number(figure[1]!.replace(/,/g, '')) * 1e6 } : undefined;
    })
    .filter((row): row is { label: string; bytes: number } => row !== undefined);
  const idle = rows.filter((row) => /idle RSS/.test(row.label)).map((row) => row.bytes);
  if (idle.length === 0) throw new Error(`bench/RESULTS.md has no idle RSS figure for ${app}`);
  return { idle: Math.max(...idle), peak: Math.max(...rows.map((row) => row.bytes)) };
}

/** A value an operator would put in the Secret for the variable that sets `key`. */
function secretValue(key: string | undefined): string {
  const random = randomBytes(24).toString('hex');
  if (key === 'database.url') return `postgres://depot:${random}@postgres.depot.internal:5432/depot`;
  if (key === 'redis.url') return `rediss://default:${random}@redis.depot.internal:6379`;
  return random;
}

interface ResolvedEnv {
  env: Record<string, string>;
  /** Variables whose value comes from a Secret. */
  fromSecret: Set<string>;
}

/** A container's environment as the kubelet would build it, with Secrets filled in. */
function resolveEnv(objects: K8sObject[], container: Container): ResolvedEnv {
  const env: Record<string, string> = {};
  const fromSecret = new Set<string>();
  for (const source of container.envFrom ?? []) {
    if (source.secretRef)
      throw new Error(`${container.name}: envFrom a Secret hides which variables it sets`);
    Object.assign(env, find<ConfigMapObject>(objects, 'ConfigMap', source.configMapRef!.name).data);
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom;
    if (ref?.secretKeyRef) {
      env[variable.name] = secretValue(WELL_KNOWN_ENV[variable.name]);
      fromSecret.add(variable.name);
    } else if (ref?.configMapKeyRef) {
      env[variable.name] = find<ConfigMapObject>(objects, 'ConfigMap', ref.configMapKeyRef.name).data[
        ref.configMapKeyRef.key
      ]!;
    } else {
      env[variable.name] = variable.value ?? '';
    }
  }
  return { env, fromSecret };
}

/** The image's working directory (the Dockerfile's runtime stage), where config/ lives. */
function imageWorkdir(): string {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf(' AS runtime'));
  return /^WORKDIR (\S+)$/m.exec(runtime)![1]!;
}

/**
 * Loads the config a container would: the image's config/ plus each ConfigMap mounted
 * under it, and the container's environment.
 */
function loadContainerConfig(
  objects: K8sObject[],
  pod: PodTemplateOwner['spec']['template']['spec'],
  container: Container,
  env: Record<string, string>,
): { config: DepotConfigShape; sources: ReadonlyMap<string, string> } {
  const workdir = imageWorkdir();
  const dir = mkdtempSync(join(tmpdir(), 'depot-k8s-config-'));
  try {
    cpSync(join(ROOT, 'config'), join(dir, 'config'), { recursive: true });
    for (const mount of container.volumeMounts ?? []) {
      const configMap = pod.volumes?.find((volume) => volume.name === mount.name)?.configMap;
      if (!configMap) continue;
      expect(mount.mountPath.startsWith(`${workdir}/config/`)).toBe(true);
      const target = join(dir, 'config', mount.mountPath.slice(`${workdir}/config/`.length));
      mkdirSync(target, { recursive: true });
      for (const [file, text] of Object.entries(
        find<ConfigMapObject>(objects, 'ConfigMap', configMap.name).data,
      )) {
        writeFileSync(join(target, file), text);
      }
    }
    return loadConfig({ configDir: join(dir, 'config'), env });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every leaf of the config that redaction hides: the secrets, by the code's own list. */
function secretKeys(config: DepotConfigShape): string[] {
  const keys: string[] = [];
  const walk = (plain: unknown, redacted: unknown, path: string[]): void => {
    if (plain && typeof plain === 'object' && !Array.isArray(plain)) {
      for (const key of Object.keys(plain)) {
        walk((plain as Record<string, unknown>)[key], (redacted as Record<string, unknown>)[key], [
          ...path,
          key,
        ]);
      }
    } else if (JSON.stringify(plain) !== JSON.stringify(redacted)) {
      keys.push(path.join('.'));
    }
  };
  walk(config, redactConfig(config), []);
  return keys;
}

function isLoopback(value: string): boolean {
  try {
    return ['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].includes(new URL(value).hostname);
  } catch {
    return false;
  }
}

describe('deploy/kubernetes', () => {
  it('has a production overlay and every kustomization renders', () => {
    expect(OVERLAYS).toContain('overlays/production');
    for (const [path, objects] of rendered) expect({ path, count: objects.length }).toMatchObject({ path });
    for (const [path, objects] of rendered)
      if (objects.length === 0) throw new Error(`${path} renders nothing`);
  });

  it.each([...rendered.keys()])('%s: every object validates against its Kubernetes schema', (path) => {
    for (const object of rendered.get(path)!) {
      try {
        validate(object);
      } catch (error) {
        throw new Error(`${object.kind} ${object.metadata.name}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  });

  describe.each(OVERLAYS)('%s', (overlay) => {
    const objects = rendered.get(overlay)!;

    it.each(APPS)(
      '%s: its environment passes the production config validation, secrets from the Secret',
      (app) => {
        const deployment = deploymentOf(objects, app);
        const pod = deployment.spec.template.spec;
        const container = pod.containers[0]!;
        const { env, fromSecret } = resolveEnv(objects, container);
        expect(env.APP_ENV).toBe('production');

        // What production refuses from files must be set, and set here.
        for (const key of PRODUCTION_ENV_ONLY) {
          const variable = Object.entries(WELL_KNOWN_ENV).find(([, target]) => target === key)?.[0];
          expect({ key, set: variable !== undefined && env[variable] !== undefined }).toEqual({
            key,
            set: true,
          });
        }
        const { config, sources } = loadContainerConfig(objects, pod, container, env);

        // Every secret the config holds came from a Secret reference, never a literal or a file.
        const secrets = secretKeys(config);
        expect(secrets.length).toBeGreaterThan(0);
        for (const key of secrets) {
          const source = sources.get(key) ?? [...sources].find(([path]) => path.startsWith(`${key}.`))?.[1];
          expect({ key, source }).toEqual({ key, source: expect.stringMatching(/^env /) });
          expect({ key, fromSecret: fromSecret.has(source!.slice('env '.length)) }).toEqual({
            key,
            fromSecret: true,
          });
        }

        // Nothing points at the machine the defaults were written for, and files outlive no pod.
        const addresses = [...sources.keys()]
          .map((key) => ({
            key,
            value: key
              .split('.')
              .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], config),
          }))
          .filter(
            (entry): entry is { key: string; value: string } =>
              typeof entry.value === 'string' && isLoopback(entry.value),
          );
        expect(addresses).toEqual([]);
        expect(config.storage.disks[config.storage.default]!.driver).not.toBe('local');

        // The container listens where the config says, and the probes and Service use that port.
        const section = config[app as 'api' | 'worker' | 'scheduler'];
        expect(container.ports).toEqual([{ name: 'http', containerPort: section.port }]);
        for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
          expect(probe?.httpGet?.port).toBe('http');
        }
        expect(container.livenessProbe!.httpGet!.path).toBe('/health/live');
        expect(container.readinessProbe!.httpGet!.path).toBe('/health/ready');
        const service = find<
          K8sObject & { spec: { ports: Array<{ targetPort: string }>; selector: Record<string, string> } }
        >(objects, 'Service', deployment.metadata.name);
        expect(service.spec.ports.map((port) => port.targetPort)).toEqual(['http']);
        expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);

        // SIGTERM: the pod may take the app's whole shutdown timeout, after any preStop pause.
        const preStop = container.lifecycle?.preStop?.exec?.command;
        const pause = preStop?.[0] === 'sleep' ? Number(preStop[1]) : 0;
        expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
          config.app.shutdownTimeoutMs / 1000 + pause + 5,
        );
      },
    );

    it.each(APPS)('%s: non-root, read-only root filesystem, no privilege escalation', (app) => {
      const pod = deploymentOf(objects, app).spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 }); // the node image's `node`
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        // Node and multipart uploads write temporary files: /tmp is the one writable place.
        expect(container.volumeMounts?.map((mount) => mount.mountPath)).toContain('/tmp');
      }
    });

    it.each(APPS)('%s: requests cover the measured idle RSS, limits the measured peak with room', (app) => {
      const container = deploymentOf(objects, app).spec.template.spec.containers[0]!;
      const { idle, peak } = measuredRss(app);
      const { requests, limits } = container.resources!;
      expect(quantity(requests!.memory!)).toBeGreaterThanOrEqual(idle);
      expect(quantity(limits!.memory!)).toBeGreaterThanOrEqual(1.5 * peak);
      expect(quantity(requests!.cpu!)).toBeGreaterThan(0);
      expect(quantity(limits!.cpu!)).toBeGreaterThanOrEqual(quantity(requests!.cpu!));
    });

    it('runs the scheduler twice, autoscales the api on CPU and the worker on queue depth', () => {
      expect(deploymentOf(objects, 'scheduler').spec.replicas).toBe(2);
      const hpas = objects.filter((object) => object.kind === 'HorizontalPodAutoscaler') as Array<
        K8sObject & {
          spec: {
            scaleTargetRef: { name: string };
            minReplicas: number;
            metrics: Array<{ resource?: { name: string } }>;
          };
        }
      >;
      const apiHpa = hpas.find(
        (hpa) => hpa.spec.scaleTargetRef.name === deploymentOf(objects, 'api').metadata.name,
      )!;
      expect(apiHpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(apiHpa.spec.metrics).toEqual([
        expect.objectContaining({ resource: expect.objectContaining({ name: 'cpu' }) }),
      ]);
      const worker = deploymentOf(objects, 'worker').metadata.name;
      const scaled = objects.filter((object) => object.kind === 'ScaledObject') as Array<
        K8sObject & {
          spec: {
            scaleTargetRef: { name: string };
            triggers: Array<{ type: string; metadata: { query: string } }>;
          };
        }
      >;
      expect(scaled.map((object) => object.spec.scaleTargetRef.name)).toEqual([worker]);
      expect(scaled[0]!.spec.triggers[0]).toMatchObject({
        type: 'prometheus',
        metadata: { query: expect.stringContaining('depot_queue_jobs') },
      });
      // The documented fallback targets the same Deployment.
      const fallback = rendered.get('worker-scaling/hpa')!;
      expect(
        fallback.map((object) => [object.kind, (object as (typeof hpas)[number]).spec.scaleTargetRef.name]),
      ).toEqual([['HorizontalPodAutoscaler', worker]]);
    });

    it.each(APPS)('%s: a PodDisruptionBudget selects its pods', (app) => {
      const labels = deploymentOf(objects, app).spec.template.metadata.labels;
      const budgets = objects.filter(
        (object) =>
          object.kind === 'PodDisruptionBudget' &&
          Object.entries((object as PodTemplateOwner).spec.selector!.matchLabels).every(
            ([label, value]) => labels[label] === value,
          ),
      );
      expect(budgets).toHaveLength(1);
    });

    it('runs migrations in a Job, with the script the project defines, before the apps', () => {
      const jobs = objects.filter((object) => object.kind === 'Job') as PodTemplateOwner[];
      expect(jobs).toHaveLength(1);
      const container = jobs[0]!.spec.template.spec.containers[0]!;
      const scripts = (
        JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
      ).scripts;
      expect(container.command).toEqual(['npm', 'run', 'db:setup']);
      expect(scripts['db:setup']).toBeDefined();
      const { env, fromSecret } = resolveEnv(objects, container);
      const { config } = loadContainerConfig(objects, jobs[0]!.spec.template.spec, container, env);
      expect(fromSecret.has('DATABASE_URL')).toBe(true);
      expect(isLoopback(config.database.url)).toBe(false);
    });

    it('names every key of the Secret in the runbook, where the operator creates it', () => {
      const required = new Set<string>();
      const optional = new Set<string>();
      const secretNames = new Set<string>();
      for (const object of objects.filter(
        (candidate) => candidate.kind === 'Deployment' || candidate.kind === 'Job',
      )) {
        for (const container of (object as PodTemplateOwner).spec.template.spec.containers) {
          for (const variable of container.env ?? []) {
            const ref = variable.valueFrom?.secretKeyRef;
            if (!ref) continue;
            (ref.optional ? optional : required).add(ref.key);
            secretNames.add(ref.name);
          }
        }
      }
      expect([...secretNames]).toHaveLength(1);
      expect(objects.some((object) => object.kind === 'Secret')).toBe(false);
      const runbook = readFileSync(join(ROOT, 'docs/runbook.md'), 'utf8');
      const create =
        new RegExp(`kubectl -n \\S+ create secret generic ${[...secretNames][0]}[^\`]*`).exec(runbook)?.[0] ??
        '';
      for (const key of required) {
        expect({ key, documented: create.includes(`--from-literal=${key}=`) }).toEqual({
          key,
          documented: true,
        });
      }
      // Keys the apps read only when present (a rotation in progress) are explained where they are used.
      for (const key of optional)
        expect({ key, documented: runbook.includes(key) }).toEqual({ key, documented: true });
    });
  });
});
