import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, redactConfig } from '@depot/config';
import { envSegmentToKey } from '../../../libs/config/src/config.loader';
import { isLoopbackHost, KNOWN_PLACEHOLDERS } from '../../../libs/config/src/config.safety';

const SHIPPED = join(__dirname, '../../../config');

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.key}: ${issue.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** A config folder of our own: a copy of the shipped one plus the files a case adds. */
function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'depot-config-'));
  cpSync(SHIPPED, dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('config loader', () => {
  it('loads the shipped files for development with usable defaults', () => {
    const { config, sources } = loadConfig({ configDir: SHIPPED, env: {} });
    expect(config.app.env).toBe('development');
    expect(config.api.port).toBe(3000);
    expect(config.queue.attempts).toBe(5); // from queue.ini, a string coerced to a number
    expect(config.storage.disks.local).toEqual({ driver: 'local', root: './storage' }); // storage.json
    expect(config.log.pretty).toBe(true); // development/log.yaml over log.ini
    expect(sources.get('queue.attempts')).toMatch(/queue\.ini$/);
  });

  it('applies the APP_ENV overlay, then local/, then the environment', () => {
    const dir = configDir({
      'test/app.json': '{"name": "from-test"}',
      'local/app.ini': 'shutdownTimeoutMs = 2000\n',
      'local/worker.yaml': 'port: 4001\n',
    });
    const merged = loadConfig({
      configDir: dir,
      env: { APP_ENV: 'test', DEPOT__APP__SHUTDOWN_TIMEOUT_MS: '3000' },
    });
    expect(merged.config.app.name).toBe('from-test');
    expect(merged.config.worker.port).toBe(4001);
    expect(merged.config.worker.host).toBe('0.0.0.0'); // the rest of the section still from worker.yaml
    expect(merged.config.app.shutdownTimeoutMs).toBe(3000);
    expect(merged.sources.get('app.shutdownTimeoutMs')).toBe('env DEPOT__APP__SHUTDOWN_TIMEOUT_MS');
    expect(merged.sources.get('worker.port')).toBe(join(dir, 'local/worker.yaml'));
  });

  it('maps the well-known variables and DEPOT__ keys onto their keys', () => {
    const { config } = loadConfig({
      configDir: SHIPPED,
      env: {
        PORT: '8080',
        DATABASE_URL: 'postgres://u:p@db:5432/x',
        S3_BUCKET: 'other',
        DEPOT__SCHEDULER__TASKS__RETENTION_SWEEP__CRON: '*/10 * * * * *',
        DEPOT__FILES__ALLOWED_TYPES: 'image/*, application/pdf',
      },
    });
    expect(config.api.port).toBe(8080);
    expect(config.database.url).toBe('postgres://u:p@db:5432/x');
    expect(config.storage.disks.s3).toMatchObject({ driver: 's3', bucket: 'other' });
    expect(config.scheduler.tasks.retentionSweep.cron).toBe('*/10 * * * * *');
    expect(config.files.allowedTypes).toEqual(['image/*', 'application/pdf']);
    expect(envSegmentToKey('RETENTION_SWEEP')).toBe('retentionSweep');
  });

  it('names every bad key at once, with where it came from', () => {
    const issues = issuesOf(() =>
      loadConfig({
        configDir: SHIPPED,
        env: { PORT: 'http', DEPOT__DATABASE__POOL_SIZE: '0', DEPOT__NOPE__KEY: '1', REDIS_URL: 'http://x' },
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^api\.port: /),
        expect.stringMatching(/^database\.poolSize: /),
        expect.stringMatching(/^nope: is not a known key/),
        expect.stringMatching(/^redis\.url: must be a redis/),
      ]),
    );
    expect(issues).toHaveLength(4);
  });

  it('refuses unknown keys and files that name no section', () => {
    const dir = configDir({ 'app.yaml': 'nmae: typo\n', 'apps.yaml': 'x: 1\n' });
    const issues = issuesOf(() => loadConfig({ configDir: dir, env: {} }));
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^app\.nmae: is not a known key/),
        expect.stringMatching(/^apps: /),
      ]),
    );
  });

  it('refuses production unless secrets and URLs come from the environment, 32+ characters', () => {
    const issues = issuesOf(() =>
      loadConfig({ configDir: SHIPPED, env: { APP_ENV: 'production', ADMIN_API_KEY: 'short' } }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        'auth.adminApiKey: must be at least 32 characters',
        'storage.signingSecret: is required: set SIGNING_SECRET',
        'database.url: must be set from the environment in production',
        'redis.url: must be set from the environment in production',
      ]),
    );
    const secret = 'x'.repeat(32);
    const ok = loadConfig({
      configDir: SHIPPED,
      env: {
        APP_ENV: 'production',
        ADMIN_API_KEY: secret,
        SIGNING_SECRET: secret,
        DATABASE_URL: 'postgres://db/depot',
        REDIS_URL: 'redis://cache:6379',
      },
    });
    expect(ok.config.log.pretty).toBe(false);
  });

  it('redacts secrets and URL passwords for printing', () => {
    const { config } = loadConfig({
      configDir: SHIPPED,
      env: {
        DATABASE_URL: 'postgres://user:hunter2@db:5432/depot',
        S3_SECRET_ACCESS_KEY: 'sekrit',
        DEPOT__STORAGE__PREVIOUS_SIGNING_SECRETS: 'old-signing-secret-0123456789abcdef0123',
      },
    });
    expect(config.storage.previousSigningSecrets).toEqual(['old-signing-secret-0123456789abcdef0123']);
    const printed = JSON.stringify(redactConfig(config));
    expect(printed).not.toMatch(/hunter2|sekrit|dev-admin-key|dev-signing-secret|old-signing-secret/);
    expect(printed).toContain('postgres://user:[redacted]@db:5432/depot');
  });
});

describe('config loader: failing closed', () => {
  const strong = 'k3Q9vX2mP7wR4tY8zB1nC6dF0gH5jL2s';
  const production = {
    APP_ENV: 'production',
    ADMIN_API_KEY: strong,
    SIGNING_SECRET: `${strong}-sign`,
    DATABASE_URL: 'postgres://depot:db-password@db/depot',
    REDIS_URL: 'redis://:redis-password@cache:6379',
  };

  it('binds development to loopback, where its committed secrets are allowed', () => {
    const { config } = loadConfig({ configDir: SHIPPED, env: {} });
    expect(config.api.host).toBe('127.0.0.1');
    expect(config.worker.host).toBe('127.0.0.1');
    expect(config.scheduler.host).toBe('127.0.0.1');
    expect(config.auth.adminApiKey).toMatch(/^dev-admin-key/);
  });

  it('refuses the committed secrets once the api listens beyond loopback', () => {
    const issues = issuesOf(() => loadConfig({ configDir: SHIPPED, env: { DEPOT__API__HOST: '0.0.0.0' } }));
    expect(issues).toEqual([
      expect.stringMatching(
        /^auth\.adminApiKey: is a secret committed to the repository \(config\/development\/auth\.yaml\).*api\.host is 0\.0\.0\.0/,
      ),
      expect.stringMatching(/^storage\.signingSecret: is a secret committed to the repository/),
    ]);
    // Secrets of one's own make the same binding fine.
    const own = loadConfig({
      configDir: SHIPPED,
      env: { DEPOT__API__HOST: '0.0.0.0', ADMIN_API_KEY: strong, SIGNING_SECRET: `${strong}-sign` },
    });
    expect(own.config.api.host).toBe('0.0.0.0');
  });

  it('refuses a committed secret copied into the environment, and any with NODE_ENV=production', () => {
    const copied = issuesOf(() =>
      loadConfig({
        configDir: SHIPPED,
        env: { ...production, ADMIN_API_KEY: 'test-admin-key-0123456789abcdef0123456789' },
      }),
    );
    expect(copied).toEqual([
      expect.stringMatching(
        /^auth\.adminApiKey: is a secret committed to the repository \(config\/test\/auth\.yaml\)/,
      ),
    ]);
    const nodeEnv = issuesOf(() => loadConfig({ configDir: SHIPPED, env: { NODE_ENV: 'production' } }));
    expect(nodeEnv).toEqual([
      expect.stringMatching(/^auth\.adminApiKey: is a secret committed/),
      expect.stringMatching(/^storage\.signingSecret: is a secret committed/),
      // NODE_ENV=production counts as production for every rule, this one too.
      expect.stringMatching(/^webhooks\.allowPrivateNetworks: /),
    ]);
  });

  it("refuses .env.example's placeholders in production, in secrets and in URL passwords", () => {
    const example = readFileSync(join(SHIPPED, '../.env.example'), 'utf8');
    const values = [...example.matchAll(/^[A-Z0-9_]+=(.*)$/gm)].map((match) => match[1]);
    expect(new Set(values)).toEqual(new Set(KNOWN_PLACEHOLDERS)); // the list and the file kept in step
    const issues = issuesOf(() =>
      loadConfig({
        configDir: SHIPPED,
        env: {
          ...production,
          ADMIN_API_KEY: 'replace-with-a-long-random-admin-key-0000',
          DATABASE_URL: 'postgres://depot:replace-with-a-postgres-password@db/depot',
          S3_SECRET_ACCESS_KEY: 'replace-with-an-s3-secret-access-key',
        },
      }),
    );
    expect(issues).toEqual([
      'auth.adminApiKey: is the placeholder from .env.example: set a real secret',
      'database.url: is the placeholder from .env.example: set a real secret',
      'storage.disks.s3.secretAccessKey: is the placeholder from .env.example: set a real secret',
    ]);
    expect(loadConfig({ configDir: SHIPPED, env: production }).config.app.env).toBe('production');
  });

  it('lets production reach private networks only with the second switch', () => {
    const issues = issuesOf(() =>
      loadConfig({
        configDir: SHIPPED,
        env: { ...production, DEPOT__WEBHOOKS__ALLOW_PRIVATE_NETWORKS: 'true' },
      }),
    );
    expect(issues).toEqual([
      expect.stringMatching(/^webhooks\.allowPrivateNetworks: .*allowPrivateNetworksInProduction/),
    ]);
    const both = loadConfig({
      configDir: SHIPPED,
      env: {
        ...production,
        DEPOT__WEBHOOKS__ALLOW_PRIVATE_NETWORKS: 'true',
        DEPOT__WEBHOOKS__ALLOW_PRIVATE_NETWORKS_IN_PRODUCTION: 'true',
      },
    });
    expect(both.config.webhooks.allowPrivateNetworks).toBe(true);
  });

  it('leaves the queue dashboard off in production unless turned on, and on elsewhere', () => {
    expect(loadConfig({ configDir: SHIPPED, env: production }).config.api.queuesDashboard.enabled).toBe(
      false,
    );
    const on = loadConfig({
      configDir: SHIPPED,
      env: { ...production, DEPOT__API__QUEUES_DASHBOARD__ENABLED: 'true' },
    });
    expect(on.config.api.queuesDashboard.enabled).toBe(true);
    expect(loadConfig({ configDir: SHIPPED, env: {} }).config.api.queuesDashboard.enabled).toBe(true);
    expect(
      loadConfig({ configDir: SHIPPED, env: { APP_ENV: 'test' } }).config.api.queuesDashboard.enabled,
    ).toBe(true);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['api.internal', false],
  ])('counts %s as loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
