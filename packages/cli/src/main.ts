#!/usr/bin/env node
import { DepotError } from '@depot/client';
import { CommanderError } from 'commander';
import { UsageError } from './errors.js';
import { buildProgram } from './program.js';

/** Exit codes: 0 success, 1 a failed request, 2 bad usage. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed the message already; help and --version are not failures.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`depot: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof DepotError) {
    process.stderr.write(`depot: ${error.status} ${error.title}${error.detail ? `: ${error.detail}` : ''}\n`);
    for (const field of error.errors) process.stderr.write(`  ${field.field}: ${field.message}\n`);
    if (error.requestId) process.stderr.write(`  request id ${error.requestId}\n`);
    return EXIT.failed;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  process.stderr.write(`depot: ${error instanceof Error ? error.message : String(error)}${cause}\n`);
  return EXIT.failed;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
}
