import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { parse as parseIni } from 'ini';
import { parse as parseYaml } from 'yaml';
import { APP_ENVS, type AppEnv, CONFIG_SECTIONS, configSchema, type DepotConfigShape } from './config.schema';
import { ConfigError, type ConfigIssue } from './config.error';
import { SECRET_KEYS, safetyIssues } from './config.safety';

type Tree = Record<string, unknown>;
type Env = Record<string, string | undefined>;

/** Environment variables with a well-known name, and the key each one sets. */
export const WELL_KNOWN_ENV: Readonly<Record<string, string>> = {
  APP_ENV: 'app.env',
  PORT: 'api.port',
  WORKER_PORT: 'worker.port',
  SCHEDULER_PORT: 'scheduler.port',
  DATABASE_URL: 'database.url',
  REDIS_URL: 'redis.url',
  QUEUE_PREFIX: 'queue.prefix',
  QUEUE_BACKEND: 'queue.backend',
  ADMIN_API_KEY: 'auth.adminApiKey',
  SIGNING_SECRET: 'storage.signingSecret',
  STORAGE_DISK: 'storage.default',
  STORAGE_LOCAL_ROOT: 'storage.disks.local.root',
  S3_ENDPOINT: 'storage.disks.s3.endpoint',
  S3_REGION: 'storage.disks.s3.region',
  S3_BUCKET: 'storage.disks.s3.bucket',
  S3_ACCESS_KEY_ID: 'storage.disks.s3.accessKeyId',
  S3_SECRET_ACCESS_KEY: 'storage.disks.s3.secretAccessKey',
  S3_FORCE_PATH_STYLE: 'storage.disks.s3.forcePathStyle',
  LOG_LEVEL: 'log.level',
};

/** Prefix for setting any key from the environment: `DEPOT__SECTION__SOME_KEY`. */
export const ENV_KEY_PREFIX = 'DEPOT__';

/** Keys that production accepts only from the environment, never from a file. */
export const PRODUCTION_ENV_ONLY = ['auth.adminApiKey', 'storage.signingSecret', 'database.url', 'redis.url'];

const PARSERS: Record<string, (text: string) => unknown> = {
  '.yaml': parseYaml,
  '.yml': parseYaml,
  '.json': (text) => JSON.parse(text) as unknown,
  '.ini': parseIni,
};

export interface LoadConfigOptions {
  /** Folder holding `<section>.*`, `<env>/` and `local/`. Defaults to `CONFIG_DIR` or `./config`. */
  configDir?: string;
  env?: Env;
}

export interface LoadedConfig {
  config: DepotConfigShape;
  /** For each leaf key that was set, the file or variable that set it last. */
  sources: ReadonlyMap<string, string>;
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `RETENTION_SWEEP` → `retentionSweep`. */
export function envSegmentToKey(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}

class Layers {
  // Every section starts empty, so a missing value is reported by its own key.
  readonly tree: Tree = Object.fromEntries(CONFIG_SECTIONS.map((section) => [section, {}]));
  readonly sources = new Map<string, string>();
  readonly issues: ConfigIssue[] = [];

  merge(value: Tree, source: string, prefix: string[] = []): void {
    for (const [key, child] of Object.entries(value)) {
      this.set([...prefix, key], child, source);
    }
  }

  set(path: string[], value: unknown, source: string): void {
    if (isTree(value)) {
      this.merge(value, source, path);
      return;
    }
    let node = this.tree;
    for (const segment of path.slice(0, -1)) {
      const next = node[segment];
      if (!isTree(next)) node[segment] = {};
      node = node[segment] as Tree;
    }
    node[path[path.length - 1]!] = value;
    this.sources.set(path.join('.'), source);
  }

  loadFolder(dir: string, cwd: string): void {
    if (!existsSync(dir)) return;
    const seen = new Map<string, string>();
    for (const file of readdirSync(dir, { withFileTypes: true })) {
      if (!file.isFile()) continue;
      const ext = extname(file.name).toLowerCase();
      const parse = PARSERS[ext];
      if (!parse) continue;
      const path = join(dir, file.name);
      const label = path.startsWith(`${cwd}${sep}`) ? relative(cwd, path) : path;
      const section = basename(file.name, extname(file.name));
      if (!(CONFIG_SECTIONS as string[]).includes(section)) {
        this.issues.push({ key: section, message: `${label} names no config section`, source: label });
        continue;
      }
      const twin = seen.get(section);
      if (twin) {
        this.issues.push({ key: section, message: `written twice, in ${twin} and ${label}`, source: label });
        continue;
      }
      seen.set(section, label);
      let parsed: unknown;
      try {
        parsed = parse(readFileSync(path, 'utf8'));
      } catch (error) {
        this.issues.push({
          key: section,
          message: `cannot be parsed: ${(error as Error).message}`,
          source: label,
        });
        continue;
      }
      if (parsed === null || parsed === undefined) continue;
      if (!isTree(parsed)) {
        this.issues.push({ key: section, message: 'must hold a mapping of keys', source: label });
        continue;
      }
      this.merge(parsed, label, [section]);
    }
  }

  loadEnv(env: Env): void {
    for (const [name, key] of Object.entries(WELL_KNOWN_ENV)) {
      const value = env[name];
      if (value !== undefined && value !== '') this.set(key.split('.'), value, `env ${name}`);
    }
    for (const [name, value] of Object.entries(env)) {
      if (!name.startsWith(ENV_KEY_PREFIX) || value === undefined || value === '') continue;
      const segments = name.slice(ENV_KEY_PREFIX.length).split('__').filter(Boolean);
      if (segments.length < 2) {
        this.issues.push({ key: name, message: 'must name a section and a key', source: `env ${name}` });
        continue;
      }
      this.set(segments.map(envSegmentToKey), value, `env ${name}`);
    }
  }
}

function resolveAppEnv(env: Env, issues: ConfigIssue[]): AppEnv {
  const value = env.APP_ENV || 'development';
  if ((APP_ENVS as readonly string[]).includes(value)) return value as AppEnv;
  issues.push({ key: 'app.env', message: `must be one of ${APP_ENVS.join(', ')}`, source: 'env APP_ENV' });
  return 'development';
}

/**
 * Reads `config/<section>.*`, then `config/<APP_ENV>/`, then `config/local/`, then the
 * environment, and validates the merged result against one schema. Throws a
 * {@link ConfigError} naming every bad key.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  // The one place that reads the process environment.
  const env = options.env ?? process.env;
  const cwd = process.cwd();
  const configDir = resolve(options.configDir ?? env.CONFIG_DIR ?? 'config');
  const layers = new Layers();
  const appEnv = resolveAppEnv(env, layers.issues);

  layers.loadFolder(configDir, cwd);
  layers.loadFolder(join(configDir, appEnv), cwd);
  layers.loadFolder(join(configDir, 'local'), cwd);
  layers.set(['app', 'env'], appEnv, env.APP_ENV ? 'env APP_ENV' : 'default');
  layers.loadEnv(env);

  const issues = [...layers.issues];
  // Parsed once per process: compiling the schema's fast path would cost more than it saves.
  const result = configSchema.safeParse(layers.tree, { jitless: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.');
      const extra = issue.code === 'unrecognized_keys' ? issue.keys : [];
      if (extra.length > 0) {
        for (const name of extra) {
          const full = key ? `${key}.${name}` : name;
          issues.push({ key: full, message: 'is not a known key', source: findSource(layers.sources, full) });
        }
        continue;
      }
      const source = layers.sources.get(key);
      issues.push({
        key: key || '(root)',
        message: source ? issue.message : missingMessage(key, issue.message),
        source,
      });
    }
  }
  if (appEnv === 'production') {
    for (const key of PRODUCTION_ENV_ONLY) {
      const source = layers.sources.get(key);
      if (!source?.startsWith('env ') && !issues.some((issue) => issue.key === key)) {
        issues.push({ key, message: 'must be set from the environment in production', source });
      }
    }
  }
  if (result.success) {
    issues.push(
      ...safetyIssues(result.data, {
        appEnv,
        nodeEnv: env.NODE_ENV,
        committed: committedSecrets(configDir, cwd),
        sources: layers.sources,
      }),
    );
  }
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);
  return { config: result.data, sources: layers.sources };
}

/**
 * Every secret value written in the committed config files (the base folder and each
 * APP_ENV overlay; `local/` is git-ignored), with the file it is in: such a value is
 * public, whichever environment it is used in.
 */
function committedSecrets(configDir: string, cwd: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const folder of [configDir, ...APP_ENVS.map((name) => join(configDir, name))]) {
    const layers = new Layers();
    layers.loadFolder(folder, cwd);
    for (const key of SECRET_KEYS) {
      let node: unknown = layers.tree;
      for (const segment of key.split('.')) node = isTree(node) ? node[segment] : undefined;
      const values = typeof node === 'string' ? [node] : Array.isArray(node) ? node : [];
      for (const value of values) {
        if (typeof value === 'string') found.set(value, layers.sources.get(key) ?? folder);
      }
    }
  }
  return found;
}

function missingMessage(key: string, message: string): string {
  if (!/received undefined/.test(message)) return message;
  const variable = Object.entries(WELL_KNOWN_ENV).find(([, target]) => target === key)?.[0];
  return `is required${variable ? `: set ${variable}` : ''}`;
}

function findSource(sources: ReadonlyMap<string, string>, key: string): string | undefined {
  for (const [path, source] of sources) {
    if (path === key || path.startsWith(`${key}.`)) return source;
  }
  return undefined;
}
