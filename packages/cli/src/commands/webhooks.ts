import type { WebhookEvent } from '@depot/client';
import type { Command } from 'commander';
import { clientFor, print, printJson, printJsonArray, take } from '../context.js';
import { UsageError } from '../errors.js';
import { table } from '../format.js';
import { collect, positiveInteger } from '../options.js';

const EVENTS: WebhookEvent[] = ['file.ready', 'file.failed', 'file.deleted', 'file.copied', 'file.updated'];

export function registerWebhookCommands(program: Command): void {
  const webhooks = program.command('webhooks').description('webhook endpoints and their deliveries');

  webhooks
    .command('create')
    .description('register an endpoint; prints its signing secret (shown only once)')
    .argument('<url>')
    .option('--event <event>', `an event to send (repeatable): ${EVENTS.join(', ')}`, collect, [])
    .option('--json', 'JSON for scripts')
    .action(async (url: string, options: { event: string[]; json?: boolean }, command: Command) => {
      const unknown = options.event.filter((event) => !EVENTS.includes(event as WebhookEvent));
      if (unknown.length)
        throw new UsageError(`unknown event ${unknown.join(', ')}: use ${EVENTS.join(', ')}`);
      const events = (options.event.length ? options.event : EVENTS) as WebhookEvent[];
      const webhook = await (await clientFor(command)).webhooks.create({ url, events });
      if (options.json) printJson(webhook);
      else print(`created webhook ${webhook.id} for ${webhook.events.join(',')}\nsecret ${webhook.secret}`);
    });

  webhooks
    .command('ls')
    .description('list endpoints')
    .option('--json', 'JSON for scripts')
    .action(async (options: { json?: boolean }, command: Command) => {
      const list = await (await clientFor(command)).webhooks.list();
      if (options.json) return printJson(list);
      print(
        table(
          ['ID', 'EVENTS', 'CREATED', 'URL'],
          list.map((w) => [w.id, w.events.join(','), w.createdAt, w.url]),
        ),
      );
    });

  webhooks
    .command('rm')
    .description('remove endpoints')
    .argument('<ids...>')
    .action(async (ids: string[], _options: unknown, command: Command) => {
      const depot = await clientFor(command);
      for (const id of ids) {
        await depot.webhooks.delete(id);
        print(`deleted webhook ${id}`);
      }
    });

  webhooks
    .command('deliveries')
    .description("an endpoint's deliveries, newest first")
    .argument('<id>')
    .option('--limit <n>', 'at most this many', positiveInteger)
    .option('--json', 'JSON for scripts')
    .action(async (id: string, options: { limit?: number; json?: boolean }, command: Command) => {
      const deliveries = await take((await clientFor(command)).webhooks.deliveries(id), options.limit);
      if (options.json) return printJsonArray(deliveries);
      print(
        table(
          ['ID', 'EVENT', 'STATUS', 'ATTEMPTS', 'LAST CODE', 'CREATED'],
          deliveries.map((d) => [
            d.id,
            d.event,
            d.status,
            String(d.attempts),
            String(d.lastStatusCode ?? '-'),
            d.createdAt,
          ]),
        ),
      );
    });
}
