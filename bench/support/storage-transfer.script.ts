/**
 * The quick runs' storage child: one transfer (`--transfer <spec>`), measured by
 * {@link measureTransfer} and written as a `BENCH_RESULT` line. Bundled once per run, it
 * loads the transfer's code alone, not the whole benchmark (the S3 SDK and the bench's own
 * tooling), as the full runs' child (`bench/storage.bench.ts --transfer`) does.
 */
import { measureTransfer, type TransferSpec } from './storage-transfer';

const argv = process.argv.slice(2);
// The line BenchProcess.nextResult waits for, written here rather than with processes.ts's
// reportResult, whose module would bring esbuild and SWC into this child.
measureTransfer(JSON.parse(argv[argv.indexOf('--transfer') + 1]!) as TransferSpec).then(
  (sample) => void process.stdout.write(`BENCH_RESULT ${JSON.stringify(sample)}\n`),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
