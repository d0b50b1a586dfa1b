/** `npm run config:print`: the effective configuration, secrets redacted, with where each key came from. */
import { loadConfig, ConfigError, redactConfig } from '@depot/config';

try {
  const { config, sources } = loadConfig();
  console.log(JSON.stringify(redactConfig(config), null, 2));
  if (process.argv.includes('--sources')) {
    for (const [key, source] of [...sources].sort()) console.log(`${key} <- ${source}`);
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
