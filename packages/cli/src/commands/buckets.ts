import type { Command } from 'commander';
import { clientFor, print, printJson } from '../context.js';
import { table } from '../format.js';
import { collect, positiveInteger } from '../options.js';

export function registerBucketCommands(program: Command): void {
  const buckets = program.command('buckets').description("the tenant's buckets and their rules");

  buckets
    .command('ls')
    .description('list buckets, with what each holds')
    .option('--json', 'JSON for scripts')
    .action(async (options: { json?: boolean }, command: Command) => {
      const list = await (await clientFor(command)).buckets.list();
      if (options.json) return printJson(list);
      print(
        table(
          ['NAME', 'FILES', 'BYTES', 'PUBLIC', 'TYPES', 'MAX SIZE'],
          list.map((b) => [
            b.name,
            String(b.files),
            String(b.bytes),
            b.public ? 'yes' : 'no',
            b.allowedTypes.join(',') || '*',
            b.maxFileSizeBytes === null ? '-' : String(b.maxFileSizeBytes),
          ]),
        ),
      );
    });

  buckets
    .command('create')
    .description('create a bucket')
    .argument('<name>', 'lowercase letters, digits and hyphens, 2 to 63')
    .option('--type <type>', 'a type it takes, e.g. image/* (repeatable; none: any)', collect, [])
    .option('--max-size <bytes>', 'the largest file it takes', positiveInteger)
    .option('--public', 'serve its files without a key at their publicUrl')
    .option('--retention-days <days>', 'files expire this many days after upload', positiveInteger)
    .option('--json', 'JSON for scripts')
    .action(
      async (
        name: string,
        options: {
          type: string[];
          maxSize?: number;
          public?: boolean;
          retentionDays?: number;
          json?: boolean;
        },
        command: Command,
      ) => {
        const bucket = await (
          await clientFor(command)
        ).buckets.create({
          name,
          allowedTypes: options.type,
          maxFileSizeBytes: options.maxSize,
          public: options.public ?? false,
          retentionDays: options.retentionDays,
        });
        if (options.json) printJson(bucket);
        else print(`created bucket ${bucket.name}`);
      },
    );

  buckets
    .command('rm')
    .description('delete a bucket (with --force, its files too)')
    .argument('<name>')
    .option('--force', 'delete its files first')
    .action(async (name: string, options: { force?: boolean }, command: Command) => {
      await (await clientFor(command)).buckets.delete(name, { force: options.force });
      print(`deleted bucket ${name}`);
    });

  program
    .command('usage')
    .description('what the tenant holds, by bucket, and its quota')
    .option('--json', 'JSON for scripts')
    .action(async (options: { json?: boolean }, command: Command) => {
      const usage = await (await clientFor(command)).buckets.usage();
      if (options.json) return printJson(usage);
      const cap = (value: number | null) => (value === null ? 'no cap' : String(value));
      print(
        `${usage.files} files, ${usage.bytes} bytes (quota: ${cap(usage.quota.maxFiles)} files, ${cap(usage.quota.maxBytes)} bytes)\n` +
          table(
            ['BUCKET', 'FILES', 'BYTES'],
            usage.buckets.map((b) => [b.name, String(b.files), String(b.bytes)]),
          ),
      );
    });
}
