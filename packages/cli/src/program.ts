import { createRequire } from 'node:module';
import { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.js';
import { registerBucketCommands } from './commands/buckets.js';
import { registerFileCommands } from './commands/files.js';
import { registerLoginCommand } from './commands/login.js';
import { registerWebhookCommands } from './commands/webhooks.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('depot')
    .description(
      'The Depot command line. Settings: --url/--profile, else DEPOT_URL and DEPOT_KEY, else the profile file.',
    )
    .version(version)
    .option('--url <url>', 'the API (overrides DEPOT_URL and the profile)')
    .option('--profile <name>', 'a profile saved by depot login (default: DEPOT_PROFILE, else default)')
    .showHelpAfterError('(run depot --help for usage)')
    .exitOverride();
  registerLoginCommand(program);
  registerFileCommands(program);
  registerBucketCommands(program);
  registerWebhookCommands(program);
  registerAdminCommands(program);
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}
