import { Depot } from '@depot/client';
import type { Command } from 'commander';
import { resolveProfile } from './profile.js';

export interface GlobalOptions {
  url?: string;
  profile?: string;
}

/** The client for this run, from `--url`/`--profile`, the environment or the profile file. */
export async function clientFor(command: Command): Promise<Depot> {
  const { url, profile } = command.optsWithGlobals<GlobalOptions>();
  const settings = await resolveProfile({ url, profile });
  return new Depot({ baseUrl: settings.url, apiKey: settings.key });
}

export const print = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};

export const printJson = (value: unknown): void => print(JSON.stringify(value, null, 2));

/** A JSON array written item by item, so that a long listing is never held whole. */
export async function printJsonArray<T>(items: AsyncIterable<T> | Iterable<T>): Promise<void> {
  let first = true;
  for await (const item of items) {
    process.stdout.write(`${first ? '[\n' : ',\n'}${JSON.stringify(item)}`);
    first = false;
  }
  process.stdout.write(first ? '[]\n' : '\n]\n');
}

/** Every item of an async iterator, at most `limit`. */
export async function take<T>(items: AsyncIterable<T>, limit: number | undefined): Promise<T[]> {
  const taken: T[] = [];
  if (limit === 0) return taken;
  for await (const item of items) {
    taken.push(item);
    if (limit !== undefined && taken.length >= limit) break;
  }
  return taken;
}
