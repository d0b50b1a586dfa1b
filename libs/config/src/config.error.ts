export interface ConfigIssue {
  /** Dotted key, e.g. `database.poolSize`. */
  key: string;
  message: string;
  /** Where the offending value came from: a file path or an environment variable. */
  source?: string;
}

/** Raised when the merged configuration is invalid; lists every bad key at once. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(
      `Invalid configuration:\n${issues
        .map((issue) => `  ${issue.key}: ${issue.message}${issue.source ? ` (from ${issue.source})` : ''}`)
        .join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}
