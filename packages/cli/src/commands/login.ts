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
    .description(
      'save --url and a key (read from stdin) as a profile (--profile, default "default"), in a file only you can read',
    )
    .action(async (_options: unknown, command: Command) => {
      const { profile = 'default', url } = command.optsWithGlobals<{ profile?: string; url?: string }>();
      if (!url)
        throw new UsageError('depot login needs --url, e.g. depot login --url https://depot.example.com');
      try {
        new URL(url);
      } catch {
        throw new UsageError(`not a URL: ${url}`);
      }
      const key = await readKey();
      if (!key) throw new UsageError('no key on stdin');
      const path = await saveProfile(profile, { url, key });
      print(`saved profile ${profile} in ${path}`);
    });
}
