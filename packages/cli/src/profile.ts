import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from './errors.js';

/** Where the API is and the key to use. */
export interface Profile {
  url: string;
  key: string;
}

interface ProfileFile {
  profiles: Record<string, Partial<Profile>>;
}

const env = process.env;

/** `$XDG_CONFIG_HOME/depot` (default `~/.config/depot`): profiles. */
export const configDir = (): string => join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'depot');
/** `$XDG_STATE_HOME/depot` (default `~/.local/state/depot`): unfinished resumable uploads. */
export const stateDir = (): string => join(env.XDG_STATE_HOME || join(homedir(), '.local/state'), 'depot');
export const profilesPath = (): string => join(configDir(), 'profiles.json');

/** The profile file, refused (like ssh does) when others may read the keys in it. */
async function readProfiles(): Promise<ProfileFile> {
  const path = profilesPath();
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch {
    return { profiles: {} };
  }
  if (mode & 0o077) {
    throw new UsageError(
      `${path} is readable by others (mode ${(mode & 0o777).toString(8)}); it holds API keys: run chmod 600 ${path}`,
    );
  }
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<ProfileFile>;
    return { profiles: parsed.profiles ?? {} };
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The settings for this run: `--url`, then the named `--profile` if one was given, then
 * `DEPOT_URL`/`DEPOT_KEY`, then the profile named by `DEPOT_PROFILE` or `default`.
 */
export async function resolveProfile(options: { url?: string; profile?: string }): Promise<Profile> {
  const { profiles } = await readProfiles();
  const name = options.profile ?? env.DEPOT_PROFILE ?? 'default';
  const saved = profiles[name] ?? {};
  if (options.profile && !profiles[options.profile]) {
    throw new UsageError(
      `no profile named "${options.profile}" in ${profilesPath()}: run depot login --profile ${options.profile}`,
    );
  }
  const fromEnvFirst = !options.profile;
  const url = options.url ?? (fromEnvFirst ? env.DEPOT_URL || saved.url : saved.url);
  const key = fromEnvFirst ? env.DEPOT_KEY || saved.key : saved.key;
  if (!url) throw new UsageError('no API URL: set DEPOT_URL, pass --url, or run depot login');
  if (!key) throw new UsageError('no API key: set DEPOT_KEY or run depot login');
  try {
    new URL(url);
  } catch {
    throw new UsageError(`not a URL: ${url}`);
  }
  return { url, key };
}

/** Saves a profile; the file is written whole (temporary file, then rename) with mode 600. */
export async function saveProfile(name: string, profile: Profile): Promise<string> {
  const path = profilesPath();
  const file = await readProfiles();
  file.profiles[name] = profile;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return path;
}
