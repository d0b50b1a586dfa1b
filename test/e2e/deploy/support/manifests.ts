import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** What the deploy tests read: the repository's deploy/ folder, rendered and parsed offline. */

export const ROOT = join(__dirname, '../../../..');
export const KUBERNETES_DIR = join(ROOT, 'deploy/kubernetes');

const INSTALL_HINT = 'install it with `bash scripts/install-deploy-tools.sh`';

/** The path of a command-line tool: `$<VARIABLE>` if set, else the name on PATH; fails naming the install script. */
export function tool(name: string, variable: string, versionArgs: string[]): string {
  const path = process.env[variable] ?? name;
  try {
    execFileSync(path, versionArgs, { stdio: 'ignore' });
  } catch {
    throw new Error(`${name} is needed to check deploy/ offline: ${INSTALL_HINT} (or set ${variable})`);
  }
  return path;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** Every folder under deploy/kubernetes that holds a kustomization, relative to it. */
export function kustomizations(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (existsSync(join(dir, 'kustomization.yaml'))) found.push(relative(KUBERNETES_DIR, dir));
    for (const entry of readdirSync(dir)) {
      const child = join(dir, entry);
      if (statSync(child).isDirectory()) walk(child);
    }
  };
  walk(KUBERNETES_DIR);
  return found.sort();
}

/** `kubectl kustomize <dir>`: the objects a kustomization renders to, as `kubectl apply -k` would send them. */
export function render(kustomization: string): K8sObject[] {
  const kubectl = tool('kubectl', 'KUBECTL', ['version', '--client']);
  const text = execFileSync(kubectl, ['kustomize', join(KUBERNETES_DIR, kustomization)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(text)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

export function find<T = K8sObject>(objects: K8sObject[], kind: string, name: string): T {
  const object = objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  if (!object) throw new Error(`no ${kind} ${name} in the rendered objects`);
  return object as T;
}

// The parts of the Kubernetes types these tests read (the objects are validated in full by kubernetes-models).
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string };
  };
}
export interface Probe {
  httpGet?: { path: string; port: string | number };
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext?: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
export interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: Array<{ name: string; configMap?: { name: string } }>;
}
export interface PodTemplateOwner extends K8sObject {
  spec: {
    replicas?: number;
    selector?: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}
export interface ConfigMapObject extends K8sObject {
  data: Record<string, string>;
}

/** The apps nest-cli builds (`dist/apps/<name>/main.js`): the ones a deployment must run. */
export function appNames(): string[] {
  const nest = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')) as {
    projects: Record<string, { type: string }>;
  };
  return Object.entries(nest.projects)
    .filter(([, project]) => project.type === 'application')
    .map(([name]) => name);
}

/** The Deployment whose container runs `dist/apps/<app>/main.js`. */
export function deploymentOf(objects: K8sObject[], app: string): PodTemplateOwner {
  const deployment = objects.find(
    (object): object is PodTemplateOwner =>
      object.kind === 'Deployment' &&
      (object as PodTemplateOwner).spec.template.spec.containers.some((container) =>
        container.command?.includes(`dist/apps/${app}/main.js`),
      ),
  );
  if (!deployment) throw new Error(`no Deployment runs dist/apps/${app}/main.js`);
  return deployment;
}

/** Every PromQL expression the deploy folder holds: alert rules, dashboard panels, KEDA triggers. */
export function promqlExpressions(): Array<{ where: string; expr: string }> {
  const found: Array<{ where: string; expr: string }> = [];
  const collect = (value: unknown, where: string, keys: string[]): void => {
    if (Array.isArray(value)) value.forEach((item, index) => collect(item, `${where}[${index}]`, keys));
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (keys.includes(key) && typeof child === 'string')
          found.push({ where: `${where}.${key}`, expr: child });
        else collect(child, `${where}.${key}`, keys);
      }
    }
  };
  const files = (dir: string, ext: RegExp): string[] =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => ext.test(file))
      .map((file) => join(dir, file));
  for (const file of files('deploy/grafana', /\.json$/)) {
    collect(JSON.parse(readFileSync(join(ROOT, file), 'utf8')), file, ['expr']);
  }
  for (const file of files('deploy/prometheus', /rules.*\.ya?ml$/)) {
    for (const document of parseAllDocuments(readFileSync(join(ROOT, file), 'utf8'))) {
      collect(document.toJS(), file, ['expr']);
    }
  }
  for (const file of files('deploy/kubernetes', /\.ya?ml$/)) {
    for (const document of parseAllDocuments(readFileSync(join(ROOT, file), 'utf8'))) {
      const object = document.toJS() as K8sObject | null;
      if (object?.kind === 'ScaledObject') collect(object, file, ['query']);
    }
  }
  return found;
}
