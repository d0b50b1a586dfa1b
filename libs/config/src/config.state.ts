import { ConfigError } from './config.error';
import { loadConfig, type LoadConfigOptions } from './config.loader';
import type { DepotConfig } from './config.sections';

let current: DepotConfig | undefined;

/**
 * The process's configuration, loaded and validated on first use. Apps call
 * {@link loadConfigOrExit} first thing in `main.ts`, so a bad config stops the
 * process before anything connects.
 */
export function getConfig(): DepotConfig {
  current ??= loadConfig().config;
  return current;
}

/** Replaces the process's configuration (tests and tools that build their own). */
export function setConfig(config: DepotConfig): void {
  current = config;
}

/** Loads the config or prints every bad key, one per line, and exits with code 1. */
export function loadConfigOrExit(options?: LoadConfigOptions): DepotConfig {
  try {
    current = loadConfig(options).config;
    return current;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
