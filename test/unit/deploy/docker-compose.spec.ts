import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '@depot/config';

/**
 * No Docker engine runs here, so the compose file and the Dockerfile are checked by
 * construction: services, commands, ports and environment must match the apps and the
 * process contract, and the apps' environment must pass config validation.
 */
const ROOT = join(__dirname, '../../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; target: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
  volumes?: string[];
}

/** `${VAR:?message}` and `${VAR:-default}` resolved from .env.example, as `docker compose` would. */
function interpolate(text: string, env: Record<string, string>): string {
  return text
    .replace(/\$\{([A-Z0-9_]+)(?::[?-]([^}]*))?\}/g, (_, name: string, fallback?: string) => {
      if (env[name] !== undefined) return env[name];
      if (fallback !== undefined && !/^set /.test(fallback)) return fallback;
      throw new Error(`compose needs ${name}, which .env.example does not set`);
    })
    .replace(/\$\$/g, '$');
}

const dotenv = Object.fromEntries(
  read('.env.example')
    .split('\n')
    .filter((line) => /^[A-Z0-9_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
type Compose = { services: Record<string, Service> };
const composeWith = (env: Record<string, string>): Compose =>
  parse(interpolate(read('docker-compose.yml'), env), { merge: true }) as Compose;
/** As an operator fills .env: every value replaced by a long random-looking one. */
const filledIn = Object.fromEntries(
  Object.keys(dotenv).map((name) => [name, `${name.toLowerCase()}-5f0c2b9e8a7d4613b2c4e9f1a0d3c7b6`]),
);
const services = composeWith(filledIn).services;
const APPS = {
  api: { port: 3000, variable: 'PORT' },
  worker: { port: 3001, variable: 'WORKER_PORT' },
  scheduler: { port: 3002, variable: 'SCHEDULER_PORT' },
} as const;

describe('docker-compose.yml', () => {
  it('has the stack: PostgreSQL, Redis, an S3-compatible store, a one-shot migrate, and the three apps', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'minio', 'migrate', 'api', 'worker', 'scheduler']),
    );
    for (const name of ['postgres', 'redis', 'minio']) expect(services[name]!.healthcheck).toBeDefined();
  });

  it.each(Object.entries(APPS))(
    '%s runs its built entry point from the one image, on its port',
    (name, app) => {
      const service = services[name]!;
      expect(service.command).toEqual(['node', `dist/apps/${name}/main.js`]);
      expect(service.image).toBe(services.api!.image);
      expect(service.build?.target).toBe('runtime');
      expect(service.environment?.[app.variable]).toBe(String(app.port));
      expect(service.environment?.HEALTH_PORT).toBe(String(app.port));
      expect(service.ports).toContain(`${app.port}:${app.port}`);
    },
  );

  it.each(Object.keys(APPS))('%s starts only after migrations, Redis and the bucket', (name) => {
    expect(services[name]!.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
      redis: { condition: 'service_healthy' },
      'minio-bucket': { condition: 'service_completed_successfully' },
    });
    expect(services.migrate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('migrate runs the db:setup script and never restarts', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(services.migrate!.command).toEqual(['npm', 'run', 'db:setup']);
    expect(scripts['db:setup']).toBeDefined();
    expect(services.migrate!.build?.target).toBe('tools');
  });

  it.each(Object.keys(APPS))("%s's environment passes production config validation", (name) => {
    const env = services[name]!.environment!;
    expect(env.APP_ENV).toBe('production');
    const { config } = loadConfig({ configDir: join(ROOT, 'config'), env });
    expect(config.storage.default).toBe('s3');
    expect(config.database.url).toMatch(/@postgres:5432\//);
    expect(config.redis.url).toBe(`redis://:${filledIn.REDIS_PASSWORD}@redis:6379`);
  });

  it(".env.example's placeholders are refused: a copied example never runs in production", () => {
    const env = composeWith(dotenv).services.api!.environment!;
    expect(() => loadConfig({ configDir: join(ROOT, 'config'), env })).toThrow(
      /auth\.adminApiKey: is the placeholder[\s\S]*storage\.signingSecret: is the placeholder[\s\S]*database\.url: is the placeholder[\s\S]*redis\.url: is the placeholder[\s\S]*secretAccessKey: is the placeholder/,
    );
  });

  it('Redis requires the password the apps connect with', () => {
    const redis = services.redis!;
    expect(redis.command?.join(' ')).toMatch(/--requirepass "\$REDIS_PASSWORD"/);
    expect(redis.environment?.REDIS_PASSWORD).toBe(filledIn.REDIS_PASSWORD);
    expect(redis.healthcheck?.test.join(' ')).toMatch(/REDISCLI_AUTH/);
    for (const name of Object.keys(APPS)) {
      expect(new URL(services[name]!.environment!.REDIS_URL!).password).toBe(filledIn.REDIS_PASSWORD);
    }
  });

  it('publishes PostgreSQL, Redis and MinIO on loopback only', () => {
    for (const name of ['postgres', 'redis', 'minio']) {
      for (const port of services[name]!.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    }
  });

  it('each app is built by nest-cli to the path compose runs', () => {
    const nest = JSON.parse(read('nest-cli.json')) as {
      projects: Record<string, { type: string; entryFile: string }>;
    };
    for (const name of Object.keys(APPS)) {
      expect(nest.projects[name]).toMatchObject({ type: 'application', entryFile: 'main' });
    }
  });
});

describe('docker-compose.yml: the monitoring profile', () => {
  const MONITORING = ['prometheus', 'grafana'];
  /** `./host/path:/container/path[:ro]` bind mounts of a service, as [host, container]. */
  const binds = (name: string): Array<[string, string]> =>
    (services[name]!.volumes ?? [])
      .filter((volume) => volume.startsWith('./'))
      .map((volume) => volume.split(':').slice(0, 2) as [string, string]);

  it('adds Prometheus and Grafana off by default, and leaves every other service in the default stack', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, profiles: service.profiles }).toEqual({
        name,
        profiles: MONITORING.includes(name) ? ['monitoring'] : undefined,
      });
    }
  });

  it('mounts only files that exist in the repository', () => {
    for (const name of MONITORING) {
      for (const [host] of binds(name))
        expect({ host, exists: existsSync(join(ROOT, host)) }).toEqual({ host, exists: true });
    }
  });

  it('scrapes every app on its port and loads the alert rules Prometheus is given', () => {
    const configMount = binds('prometheus').find(([, target]) => target === '/etc/prometheus/prometheus.yml');
    expect(services.prometheus!.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    const prometheus = parse(read(configMount![0])) as {
      rule_files: string[];
      scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = prometheus.scrape_configs.flatMap((job) =>
      job.static_configs.flatMap((config) => config.targets),
    );
    expect(targets.sort()).toEqual(
      Object.entries(APPS)
        .map(([name, app]) => `${name}:${services[name]!.environment![app.variable]}`)
        .sort(),
    );
    const mounted = binds('prometheus').map(([, target]) => target);
    for (const file of prometheus.rule_files) expect(mounted).toContain(`/etc/prometheus/${file}`);
  });

  it('provisions Grafana with Prometheus as its data source and the Depot dashboard', () => {
    const provisioning = binds('grafana').find(([, target]) => target === '/etc/grafana/provisioning')![0];
    const datasources = parse(read(`${provisioning}/datasources/prometheus.yaml`)) as {
      datasources: Array<{ type: string; url: string; isDefault: boolean }>;
    };
    const port = /^--web\.listen-address=:(\d+)$/.exec(
      services.prometheus!.command!.find((arg) => arg.startsWith('--web.listen-address')) ??
        '--web.listen-address=:9090',
    )![1];
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: `http://prometheus:${port}`, isDefault: true }),
    ]);
    const providers = parse(read(`${provisioning}/dashboards/depot.yaml`)) as {
      providers: Array<{ options: { path: string } }>;
    };
    const dashboards = binds('grafana').filter(([host]) => host.endsWith('.json'));
    expect(dashboards.length).toBeGreaterThan(0);
    for (const [host, target] of dashboards) {
      expect(providers.providers.map((provider) => provider.options.path)).toContain(
        target.slice(0, target.lastIndexOf('/')),
      );
      const dashboard = JSON.parse(read(host)) as {
        uid: string;
        templating: { list: Array<{ type: string; query: string }> };
      };
      expect(dashboard.uid).toBeTruthy();
      expect(dashboard.templating.list).toContainEqual(
        expect.objectContaining({ type: 'datasource', query: 'prometheus' }),
      );
    }
    expect(services.grafana!.depends_on).toEqual({ prometheus: { condition: 'service_healthy' } });
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((match) => match[1]);

  it('is multi-stage with the runtime and tools targets compose uses', () => {
    expect(stages).toEqual(expect.arrayContaining(['deps', 'tools', 'runtime']));
    expect(stages[stages.length - 1]).toBe('runtime');
  });

  it('runs the runtime as a non-root user, with a health check', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('AS runtime'));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK /m);
    expect(runtime).toMatch(/COPY --from=tools --chown=node:node \/app\/dist \.\/dist/);
  });

  it('builds and runs on one Node version, one the project declares it supports', () => {
    // major.minor as one comparable number: 20.19 -> 20019.
    const version = (major: string, minor: string): number => Number(major) * 1000 + Number(minor);
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const [, floorMajor, floorMinor] = engines.match(/^>=(\d+)\.(\d+)$/)!;
    const images = [...dockerfile.matchAll(/^FROM node:(\d+)\.(\d+)\S* AS/gm)].map(([, major, minor]) =>
      version(major!, minor!),
    );
    expect(images).toHaveLength(2);
    expect(images[1]).toBe(images[0]);
    expect(images[0]).toBeGreaterThanOrEqual(version(floorMajor!, floorMinor!));
  });
});
