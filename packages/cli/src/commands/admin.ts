import type { QueueName, SchedulerRun, Scope } from '@depot/client';
import type { Command } from 'commander';
import { clientFor, print, printJson, printJsonArray, take } from '../context.js';
import { UsageError } from '../errors.js';
import { table } from '../format.js';
import { collect, positiveInteger } from '../options.js';

const SCOPES: Scope[] = ['files:read', 'files:write', 'webhooks:manage'];
const QUEUES: QueueName[] = ['files', 'webhooks', 'maintenance'];
const TASKS: Array<SchedulerRun['task']> = ['retentionSweep', 'requeueStuck', 'usageReport'];

/** The operator's commands: they need the admin key (DEPOT_KEY or an admin profile). */
export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description("the operator's commands (admin key)");

  const tenants = admin.command('tenants').description('tenants');
  tenants
    .command('create')
    .argument('<name>')
    .option('--json', 'JSON for scripts')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const tenant = await (await clientFor(command)).admin.tenants.create(name);
      if (options.json) printJson(tenant);
      else print(`created tenant ${tenant.id} ${tenant.name}`);
    });
  tenants
    .command('ls')
    .option('--limit <n>', 'at most this many', positiveInteger)
    .option('--json', 'JSON for scripts')
    .action(async (options: { limit?: number; json?: boolean }, command: Command) => {
      const list = await take((await clientFor(command)).admin.tenants.list(), options.limit);
      if (options.json) return printJsonArray(list);
      print(
        table(
          ['ID', 'CREATED', 'NAME'],
          list.map((t) => [t.id, t.createdAt, t.name]),
        ),
      );
    });

  const keys = admin.command('keys').description("tenants' API keys");
  keys
    .command('create')
    .description('issue a key; prints it (shown only once)')
    .argument('<tenantId>')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--scope <scope>', `a scope (repeatable; at least one): ${SCOPES.join(', ')}`, collect)
    .option('--json', 'JSON for scripts')
    .action(
      async (
        tenantId: string,
        options: { name: string; scope: string[]; json?: boolean },
        command: Command,
      ) => {
        const unknown = options.scope.filter((scope) => !SCOPES.includes(scope as Scope));
        if (unknown.length)
          throw new UsageError(`unknown scope ${unknown.join(', ')}: use ${SCOPES.join(', ')}`);
        const key = await (
          await clientFor(command)
        ).admin.keys.create(tenantId, {
          name: options.name,
          scopes: options.scope as Scope[],
        });
        if (options.json) printJson(key);
        else print(`created key ${key.id} (${key.scopes.join(' ')})\n${key.key}`);
      },
    );
  keys
    .command('ls')
    .argument('<tenantId>')
    .option('--json', 'JSON for scripts')
    .action(async (tenantId: string, options: { json?: boolean }, command: Command) => {
      const list = await (await clientFor(command)).admin.keys.list(tenantId);
      if (options.json) return printJson(list);
      print(
        table(
          ['ID', 'PREFIX', 'SCOPES', 'CREATED', 'NAME'],
          list.map((k) => [k.id, k.prefix, k.scopes.join(' '), k.createdAt, k.name]),
        ),
      );
    });
  keys
    .command('revoke')
    .argument('<ids...>')
    .action(async (ids: string[], _options: unknown, command: Command) => {
      const depot = await clientFor(command);
      for (const id of ids) {
        await depot.admin.keys.revoke(id);
        print(`revoked key ${id}`);
      }
    });

  const queues = admin.command('queues').description('job queues');
  queues
    .command('ls', { isDefault: true })
    .description('job counts per queue')
    .option('--json', 'JSON for scripts')
    .action(async (options: { json?: boolean }, command: Command) => {
      const counts = await (await clientFor(command)).admin.queues.counts();
      if (options.json) return printJson(counts);
      print(
        table(
          ['QUEUE', 'WAITING', 'ACTIVE', 'DELAYED', 'COMPLETED', 'FAILED'],
          counts.map((q) => [q.name, q.waiting, q.active, q.delayed, q.completed, q.failed].map(String)),
        ),
      );
    });
  queues
    .command('retry')
    .description("move a queue's failed jobs back to waiting")
    .argument('<queue>', QUEUES.join(' | '))
    .action(async (name: string, _options: unknown, command: Command) => {
      if (!QUEUES.includes(name as QueueName))
        throw new UsageError(`unknown queue ${name}: use ${QUEUES.join(', ')}`);
      const result = await (await clientFor(command)).admin.queues.retryFailed(name as QueueName);
      print(`retried ${result.retried} failed jobs in ${result.queue}`);
    });

  const scheduler = admin.command('scheduler').description('scheduler ticks');
  scheduler
    .command('runs')
    .description('recent ticks: task, scheduled time, when enqueued, job id')
    .option('--task <task>', TASKS.join(' | '))
    .option('--limit <n>', 'at most this many', positiveInteger)
    .option('--json', 'JSON for scripts')
    .action(async (options: { task?: string; limit?: number; json?: boolean }, command: Command) => {
      if (options.task && !TASKS.includes(options.task as SchedulerRun['task'])) {
        throw new UsageError(`unknown task ${options.task}: use ${TASKS.join(', ')}`);
      }
      const runs = await (
        await clientFor(command)
      ).admin.scheduler.runs({
        task: options.task as SchedulerRun['task'] | undefined,
        limit: options.limit,
      });
      if (options.json) return printJson(runs);
      print(
        table(
          ['TASK', 'SCHEDULED', 'ENQUEUED', 'JOB', 'BY'],
          runs.map((r) => [r.task, r.scheduledAt, r.enqueuedAt ?? '-', r.jobId ?? '-', r.claimedBy]),
        ),
      );
    });
}
