import { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.js';
import { registerFileCommands } from './commands/files.js';
import { registerLoginCommand } from './commands/login.js';
import { registerWebhookCommands } from './commands/webhooks.js';

export function buildProgram(): Command {
  const program = new Command('depot')
    .description(
      'The Depot command line. Settings: --url/--profile, else DEPOT_URL and DEPOT_KEY, else the profile file.',
    )
    .version('0.1.0')
    .option('--url <url>', 'the API (overrides DEPOT_URL and the profile)')
    .option('--profile <name>', 'a profile saved by depot login (default: DEPOT_PROFILE, else default)')
    .showHelpAfterError('(run depot --help for usage)')
    .exitOverride();
  registerLoginCommand(program);
  registerFileCommands(program);
  registerWebhookCommands(program);
  registerAdminCommands(program);
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}
