import ipaddr from 'ipaddr.js';
import type { ConfigIssue } from './config.error';
import type { AppEnv, DepotConfigShape } from './config.schema';

/** Keys whose values are secrets the api relies on: never usable when committed to the repository. */
export const SECRET_KEYS = ['auth.adminApiKey', 'storage.signingSecret', 'storage.previousSigningSecrets'];

/**
 * The placeholder values `.env.example` ships (a unit test keeps the two in step). Production
 * refuses them wherever they appear: a copied example file is no secret at all.
 */
export const KNOWN_PLACEHOLDERS: readonly string[] = [
  'replace-with-a-long-random-admin-key-0000',
  'replace-with-a-long-random-signing-secret',
  'replace-with-a-redis-password',
  'replace-with-a-postgres-password',
  'replace-with-an-s3-access-key-id',
  'replace-with-an-s3-secret-access-key',
  'replace-with-a-grafana-admin-password',
];

/** Whether `host` (an address to bind or a host name) is reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare.toLowerCase() === 'localhost') return true;
  if (!ipaddr.isValid(bare)) return false;
  return ipaddr.process(bare).range() === 'loopback';
}

export interface SafetyContext {
  appEnv: AppEnv;
  /** `NODE_ENV`: `production` there counts as production whatever APP_ENV says. */
  nodeEnv: string | undefined;
  /** Secret values found in committed config files (not `config/local/`), and the file of each. */
  committed: ReadonlyMap<string, string>;
  sources: ReadonlyMap<string, string>;
}

function valuesAt(config: DepotConfigShape, key: string): string[] {
  let node: unknown = config;
  for (const segment of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[segment];
  if (typeof node === 'string') return [node];
  return Array.isArray(node) ? node.filter((value): value is string => typeof value === 'string') : [];
}

function urlPassword(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const password = new URL(value).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The rules that keep a forgotten setting from opening a deployment:
 *
 * - a secret committed to the repository (the development and test ones) works only while
 *   the api listens on loopback and neither `APP_ENV` nor `NODE_ENV` says production;
 * - production refuses the placeholders of `.env.example`, in secrets and in URL passwords;
 * - production lets webhooks reach private networks only with a second, explicit switch.
 */
export function safetyIssues(config: DepotConfigShape, context: SafetyContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const production = context.appEnv === 'production' || context.nodeEnv === 'production';
  const exposed = !isLoopbackHost(config.api.host);
  for (const key of SECRET_KEYS) {
    for (const value of valuesAt(config, key)) {
      const file = context.committed.get(value);
      if (!file || !(production || exposed)) continue;
      issues.push({
        key,
        message:
          `is a secret committed to the repository (${file}); it is allowed only with the api on loopback ` +
          `outside production${exposed ? ` (api.host is ${config.api.host})` : ''}: set a secret of your own`,
        source: context.sources.get(key),
      });
    }
  }
  if (production) {
    const candidates: Array<[string, string | undefined]> = [
      ...SECRET_KEYS.flatMap((key) => valuesAt(config, key).map((value): [string, string] => [key, value])),
      ['database.url', urlPassword(config.database.url)],
      ['redis.url', urlPassword(config.redis.url)],
      ...Object.entries(config.storage.disks).flatMap(([name, disk]): Array<[string, string | undefined]> =>
        disk.driver === 's3'
          ? [
              [`storage.disks.${name}.accessKeyId`, disk.accessKeyId],
              [`storage.disks.${name}.secretAccessKey`, disk.secretAccessKey],
            ]
          : [],
      ),
    ];
    for (const [key, value] of candidates) {
      if (value !== undefined && KNOWN_PLACEHOLDERS.includes(value)) {
        issues.push({
          key,
          message: 'is the placeholder from .env.example: set a real secret',
          source: context.sources.get(key),
        });
      }
    }
    if (config.webhooks.allowPrivateNetworks && !config.webhooks.allowPrivateNetworksInProduction) {
      issues.push({
        key: 'webhooks.allowPrivateNetworks',
        message:
          'lets tenants make the worker call internal addresses; in production it also needs ' +
          'webhooks.allowPrivateNetworksInProduction: true',
        source: context.sources.get('webhooks.allowPrivateNetworks'),
      });
    }
  }
  return issues;
}
