import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

/** A boolean that also accepts the strings env vars and INI files produce ("true", "0", "yes"...). */
const bool = z.union([z.boolean(), z.stringbool()]);
const int = (min = 0) => z.coerce.number().int().min(min);
const port = z.coerce.number().int().min(0).max(65535);
/** Lists may be written as arrays (YAML/JSON) or as comma-separated strings (env, INI). */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((entry) => entry.trim())
            .filter(Boolean)
        : value,
    z.array(item),
  );
const list = listOf(z.string().min(1));
const secret = z.string().min(32, 'must be at least 32 characters');
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const cron = z
  .string()
  .regex(/^\S+(\s+\S+){4,5}$/, 'must be a cron expression of five or six fields')
  .superRefine((expression, context) => {
    try {
      CronExpressionParser.parse(expression, { tz: 'UTC' });
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `is not a valid cron expression (${(error as Error).message})`,
      });
    }
  });

export const APP_ENVS = ['development', 'test', 'production'] as const;
export type AppEnv = (typeof APP_ENVS)[number];

const httpServer = { port, host: z.string().min(1) };

export const appSchema = z.strictObject({
  env: z.enum(APP_ENVS),
  name: z.string().min(1),
  shutdownTimeoutMs: int(100),
});

export const apiSchema = z.strictObject({
  ...httpServer,
  /** The address clients reach the api at; signed links are built on it. */
  publicUrl: z.url(),
  bodyLimitBytes: int(1024),
  requestTimeoutMs: int(100),
  trustProxy: bool,
  docs: z.strictObject({ enabled: bool }),
  /** Bull Board at `/admin/queues`; off in production unless turned on (it costs boot time and memory). */
  queuesDashboard: z.strictObject({ enabled: bool }),
  /** Origins allowed to call the api from a browser; empty turns CORS off. */
  cors: z.strictObject({ origins: list }),
  /**
   * Requests per window by route group: per API key id for authenticated callers, per client
   * address (`trustProxy` decides which) without a key; `failedAuth` is the budget of
   * requests with a wrong key, per client address. Counters live in Redis.
   */
  rateLimit: z.strictObject({
    enabled: bool,
    windowSeconds: int(1),
    groups: z.strictObject({ default: int(1), uploads: int(1), admin: int(1), failedAuth: int(1) }),
  }),
});

export const workerSchema = z.strictObject({
  ...httpServer,
  concurrency: z.strictObject({ files: int(1), webhooks: int(1), maintenance: int(1) }),
  /**
   * Most `files.process` jobs handled as one batch (one claim, one settle); 1 handles each
   * job on its own. Capped so that a batch's settle statement stays small.
   */
  batch: z.strictObject({ files: int(1).max(256) }),
});

const taskSchema = z.strictObject({ cron, enabled: bool });
export const SCHEDULER_TASKS = ['retentionSweep', 'requeueStuck', 'usageReport'] as const;
export type SchedulerTaskName = (typeof SCHEDULER_TASKS)[number];

export const schedulerSchema = z.strictObject({
  ...httpServer,
  tasks: z.strictObject({
    retentionSweep: taskSchema,
    requeueStuck: taskSchema,
    usageReport: taskSchema,
  }),
  /** retentionSweep deletes `scheduler_runs` rows whose tick is older than this. */
  keepRunsForDays: int(1),
});

export const databaseSchema = z.strictObject({
  url: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  poolSize: int(1),
  connectTimeoutMs: int(100),
  statementTimeoutMs: int(0),
  logging: bool,
});

export const redisSchema = z.strictObject({
  url: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }),
  connectTimeoutMs: int(100),
});

export const QUEUE_BACKENDS = ['redis', 'postgres'] as const;

export const queueSchema = z.strictObject({
  /**
   * Where BullMQ keeps its jobs: `redis` (the production default) or `postgres` (BullMQ's
   * own PostgreSQL backend, in the database `database.url` names: one dependency fewer).
   */
  backend: z.enum(QUEUE_BACKENDS),
  /**
   * BullMQ key prefix, so several deployments or test runs can share one Redis. On the
   * postgres backend it names the schema the queues live in (see `queueSchemaName`).
   */
  prefix: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, dot, dash and underscore only'),
  attempts: int(1),
  backoffMs: int(0),
  removeCompletedAfterSeconds: int(0),
  keepFailedForSeconds: int(0),
  /** How long a worker's lock on an active job lasts; it is renewed at half this while the job runs. */
  lockDurationMs: int(100),
  /** How often workers look for active jobs whose lock expired (their worker died) and hand them back. */
  stalledIntervalMs: int(100),
});

export const authSchema = z.strictObject({
  /** The operator's key: manages tenants and keys, owns no files. */
  adminApiKey: secret,
  /**
   * How long a verified API key's row is reused without reading it again (0: read it on
   * every request). Any change to a key (revocation, deletion, its tenant deleted) empties
   * the cache of every process at once through PostgreSQL LISTEN/NOTIFY; this bound only
   * matters if that notification channel fails unnoticed.
   */
  keyCacheTtlMs: int().max(3_600_000).default(30_000),
});

const localDiskSchema = z.strictObject({
  driver: z.literal('local'),
  root: z.string().min(1),
});
const s3DiskSchema = z.strictObject({
  driver: z.literal('s3'),
  bucket: z.string().min(3),
  region: z.string().min(1),
  endpoint: z.url().optional(),
  forcePathStyle: bool,
  accessKeyId: z.string().min(1).optional(),
  secretAccessKey: z.string().min(1).optional(),
});
const memoryDiskSchema = z.strictObject({ driver: z.literal('memory') });
export const diskSchema = z.discriminatedUnion('driver', [localDiskSchema, s3DiskSchema, memoryDiskSchema]);
export type DiskConfig = z.infer<typeof diskSchema>;

export const storageSchema = z
  .strictObject({
    default: z.string().min(1),
    /** HMAC key for the local disk's signed links. */
    signingSecret: secret,
    /** Secrets rotated out of `signingSecret`: links they signed still verify until they expire. */
    previousSigningSecrets: listOf(secret).default([]),
    disks: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), diskSchema),
  })
  .refine((storage) => storage.default in storage.disks, {
    path: ['default'],
    message: 'must name a disk under storage.disks',
  });

export const filesSchema = z.strictObject({
  maxSizeBytes: int(1),
  /** Content types accepted on upload; empty means any. Entries may end in "/*". */
  allowedTypes: list,
  /** Content types refused on upload, checked after allowedTypes. */
  deniedTypes: list,
  linkTtlSeconds: z.strictObject({ default: int(1), max: int(1) }),
  /** Files pending or processing longer than this are enqueued again by requeueStuck. */
  stuckAfterSeconds: int(1),
});

export const uploadsSchema = z.strictObject({
  /** A resumable upload with no last byte this long after its creation is removed by retentionSweep. */
  expireAfterSeconds: int(1),
  /** How long a PATCH waits for another request's lock on the same upload before answering 423. */
  lockWaitMs: int(0),
  /** Upload links (`POST /v1/upload-links`): seconds a link works by default, and at most. */
  linkTtlSeconds: z.strictObject({ default: int(1), max: int(1) }),
});

export const webhooksSchema = z.strictObject({
  maxAttempts: int(1),
  timeoutMs: int(100),
  backoffMs: int(0),
  /** Lets deliveries reach loopback and private ranges: development and test only. */
  allowPrivateNetworks: bool,
  /** The second switch production needs before it honours `allowPrivateNetworks` (and warns at boot). */
  allowPrivateNetworksInProduction: bool,
  /** Endpoints one tenant may register. */
  maxEndpointsPerTenant: int(1),
  /** Deliveries one tenant may have pending at once; events beyond it are recorded as dropped. */
  maxPendingDeliveriesPerTenant: int(1),
  /**
   * How long a process reuses what it read of a tenant's endpoints' events (which of them
   * any endpoint takes) before reading them again; 0 reads them every time. Any change to an
   * endpoint empties that tenant's entry in every process at once through PostgreSQL
   * LISTEN/NOTIFY; this bound only matters if that channel fails unnoticed.
   */
  subscriptionCacheTtlMs: int().max(3_600_000).default(30_000),
});

export const logSchema = z.strictObject({ level: logLevel, pretty: bool });

export const metricsSchema = z.strictObject({
  enabled: bool,
  /** `/metrics` answers only with the admin key as Bearer (Prometheus: `authorization.credentials`). */
  requireAdminKey: bool,
});

export const configSchema = z.strictObject({
  app: appSchema,
  api: apiSchema,
  worker: workerSchema,
  scheduler: schedulerSchema,
  database: databaseSchema,
  redis: redisSchema,
  queue: queueSchema,
  auth: authSchema,
  storage: storageSchema,
  files: filesSchema,
  uploads: uploadsSchema,
  webhooks: webhooksSchema,
  log: logSchema,
  metrics: metricsSchema,
});

export type DepotConfigShape = z.infer<typeof configSchema>;
export type ConfigSectionName = keyof DepotConfigShape;
export const CONFIG_SECTIONS = Object.keys(configSchema.shape) as ConfigSectionName[];
