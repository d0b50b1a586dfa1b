/**
 * `npm run scheduler:list [-- --json]`: each scheduler task, whether it is enabled, its cron
 * and its next three run times (UTC), from the effective configuration. Connects to nothing.
 */
import { loadConfigOrExit } from '@depot/config';
import { describeTasks } from '@depot/scheduling';

const tasks = describeTasks(loadConfigOrExit().scheduler);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(tasks, null, 2));
} else {
  const rows = [
    ['TASK', 'ENABLED', 'CRON (UTC)', 'NEXT RUNS'],
    ...tasks.map(({ task, enabled, cron, nextRuns }) => [
      task,
      enabled ? 'yes' : 'no',
      cron,
      Array.isArray(nextRuns) ? nextRuns.map((date) => date.toISOString()).join('  ') : nextRuns.error,
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
}
