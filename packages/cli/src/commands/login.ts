import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { print } from '../context.js';
import { UsageError } from '../errors.js';
import { saveProfile } from '../profile.js';

/** The key from the first line of stdin (so that it stays out of argv and shell history). */
async function readKey(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('API key: ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line.trim();
  }
  return '';
}

export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('save the API URL and a key (read from stdin) as a profile, in a file only you can read')
    .requiredOption('--url <url>', 'where the API is, e.g. https://depot.example.com')
    .action(async (options: { url: string }, command: Command) => {
      const { profile = 'default' } = command.optsWithGlobals<{ profile?: string }>();
      try {
        new URL(options.url);
      } catch {
        throw new UsageError(`not a URL: ${options.url}`);
      }
      const key = await readKey();
      if (!key) throw new UsageError('no key on stdin');
      const path = await saveProfile(profile, { url: options.url, key });
      print(`saved profile ${profile} in ${path}`);
    });
}
