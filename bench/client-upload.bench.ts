/**
 * (i) A file uploaded to the api with `@depot/client` and with the `depot` CLI, beside the
 * same file uploaded by hand-written code and by curl, to the same api, in the same run.
 *
 * Depot's side is the built client (`packages/client/dist`) in this process,
 * `files.upload(path, { resumable: false })` with a progress listener (the client builds the
 * multipart body and streams it from the file through fetch), and the built CLI as its own
 * process (`depot upload --no-resumable`, start-up included). The raw baseline is what one
 * writes without the client, in this process too: `node:http` piping the file (1 MiB reads)
 * between a multipart head and tail, with a Content-Length. curl (`curl -F file=@path`, the
 * README's walk) is measured beside them for the record: a native process, it leaves more of
 * the two cores to the api. All send to the same built api (production config, rate limits
 * off, local disk), so the ratios are the cost of the client's side. Rounds interleave the
 * variants, each round starting with the next one; figures are medians. For the client and the
 * upload by hand, which run in this process, its CPU time per upload is reported beside them.
 *
 *     npm run bench -- --only client-upload [--quick]
 *
 * Target: the client at least 0.8 of the hand-written node:http upload.
 */
import { execFile, execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench, BenchOptions, BenchRow } from './support/bench-row';
import { benchApi } from './support/bench-api';
import { createTenant } from '../test/support/depot-api';
import { ROOT } from '../test/support/app-launch';
import { printStandalone, STANDALONE_OPTIONS, standaloneSettings } from './support/standalone';
import { withTeardown } from './support/teardown';
import { mbPerSecond, median, MiB, settleMsBefore, sleep, timed } from './support/timing';

interface Sizes {
  bytes: number;
  rounds: number;
}

const FULL: Sizes = { bytes: 256 * MiB, rounds: 4 };
const QUICK: Sizes = { bytes: 16 * MiB, rounds: 1 };
const CLI_MAIN = join(ROOT, 'packages/cli/dist/main.js');

type ClientModule = typeof import('../packages/client/src/index.js');

/** The built client, loaded from its ESM build (Node ≥ 20.19 requires ESM). */
async function loadClient(): Promise<ClientModule> {
  return (await import(join(ROOT, 'packages/client/dist/index.js'))) as ClientModule;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { env, maxBuffer: 16 * MiB }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

/** A file of random bytes (incompressible), written 1 MiB at a time. */
function writeRandomFile(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < bytes; written += MiB)
      writeSync(fd, randomBytes(Math.min(MiB, bytes - written)));
  } finally {
    closeSync(fd);
  }
}

/** `POST /v1/files` by hand: a multipart head, the file in 1 MiB reads, the tail; Content-Length set. */
function postFileByHand(url: string, key: string, path: string, bytes: number): Promise<void> {
  const boundary = `bench-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = Readable.from(
    (async function* () {
      yield head;
      yield* createReadStream(path, { highWaterMark: MiB });
      yield tail;
    })(),
  );
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + bytes + tail.length),
      },
    });
    req.once('response', (response) => {
      response.resume();
      response.once('end', () =>
        response.statusCode === 201
          ? resolve()
          : reject(new Error(`the api answered ${response.statusCode}`)),
      );
    });
    pipeline(body, req).catch(reject);
  });
}

/**
 * Runs every variant once per round, each round starting one variant later (a b c d, b c d
 * a, ...), so that no variant always runs right after the same other one; samples per name.
 */
async function rotate<K extends string>(
  rounds: number,
  variants: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(variants) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < names.length; index++) {
      const name = names[(round + index) % names.length]!;
      samples[name].push(await variants[name]());
    }
  }
  return samples;
}

export async function runClientUploadBench(options: BenchOptions, sizes: Sizes): Promise<BenchRow[]> {
  const { log } = options;
  const { Depot } = await loadClient();
  return withTeardown(async (teardown) => {
    const { env, api } = await benchApi('client-upload', teardown, {
      quick: options.quick,
      maxFileBytes: sizes.bytes,
    });
    const { key } = (await createTenant(api, 'bench', undefined, env.adminApiKey)).apiKey;
    const folder = mkdtempSync(join(tmpdir(), 'depot-bench-client-'));
    teardown.add(async () => rmSync(folder, { recursive: true, force: true }));
    const path = join(folder, 'upload.bin');
    writeRandomFile(path, sizes.bytes);

    const depot = new Depot({ baseUrl: api.url, apiKey: key });
    // No worker runs: each upload's bytes wait in incoming/. Removed after each, untimed.
    const clear = (): void => rmSync(join(env.storageRoot, 'tenants'), { recursive: true, force: true });
    // This process's CPU time per upload, for the two variants that run in it (the client and
    // the upload by hand): on two cores, what the sending side spends is taken from the api.
    const cpuMs: Record<'client' | 'byHand', number[]> = { client: [], byHand: [] };
    const measure =
      (label: string, upload: () => Promise<unknown>, cpu?: number[]) => async (): Promise<number> => {
        // As bench (b): what earlier uploads left dirty is written back first, untimed.
        execFileSync('sync');
        await sleep(settleMsBefore(sizes.bytes));
        const cpuBefore = process.cpuUsage();
        const { ms } = await timed(upload);
        const used = process.cpuUsage(cpuBefore);
        clear();
        const rate = mbPerSecond(sizes.bytes, ms);
        const cpuNote = cpu ? `, ${((used.user + used.system) / 1000).toFixed(0)} ms of CPU here` : '';
        cpu?.push((used.user + used.system) / 1000);
        log(`client-upload: ${label} ${sizes.bytes / MiB} MiB at ${rate.toFixed(0)} MB/s${cpuNote}`);
        return rate;
      };
    const cliEnv = {
      ...process.env,
      DEPOT_URL: api.url,
      DEPOT_KEY: key,
      XDG_STATE_HOME: folder,
      XDG_CONFIG_HOME: folder,
    };

    log(`client-upload: ${sizes.rounds} round(s) of ${sizes.bytes / MiB} MiB, interleaved`);
    const samples = await rotate(sizes.rounds, {
      client: measure(
        '@depot/client',
        () => depot.files.upload(path, { resumable: false, onProgress: () => undefined }),
        cpuMs.client,
      ),
      byHand: measure(
        'node:http by hand',
        () => postFileByHand(`${api.url}/v1/files`, key, path, sizes.bytes),
        cpuMs.byHand,
      ),
      cli: measure('depot CLI', () =>
        run(process.execPath, [CLI_MAIN, 'upload', '--no-resumable', path], cliEnv),
      ),
      curl: measure('curl -F', () =>
        run('curl', [
          '-sSf',
          '-o',
          '/dev/null',
          '-H',
          `Authorization: Bearer ${key}`,
          '-F',
          `file=@${path}`,
          `${api.url}/v1/files`,
        ]),
      ),
    });
    const size = `${sizes.bytes / MiB} MiB`;
    return [
      {
        figure: `(i) ${size} file uploaded with @depot/client (multipart, streamed from disk) vs the same upload by hand with node:http`,
        depot: { value: median(samples.client), unit: 'MB/s' },
        baseline: { value: median(samples.byHand), unit: 'MB/s' },
        target: { kind: 'ratio-min', min: 0.8 },
      },
      {
        figure: `(i) ${size} file uploaded with @depot/client vs by hand: the sending process's CPU per upload`,
        depot: { value: median(cpuMs.client), unit: 'ms' },
        baseline: { value: median(cpuMs.byHand), unit: 'ms' },
        target: { kind: 'none' },
        note: 'User + system CPU time of the bench process during the upload (process.cpuUsage).',
      },
      {
        figure: `(i) ${size} file uploaded with @depot/client vs curl -F, for the record`,
        depot: { value: median(samples.client), unit: 'MB/s' },
        baseline: { value: median(samples.curl), unit: 'MB/s' },
        target: { kind: 'none' },
        note: 'curl is native and uses less CPU; on 2 cores that CPU goes to the api.',
      },
      {
        figure: `(i) ${size} file uploaded with the depot CLI (process start included) vs curl -F`,
        depot: { value: median(samples.cli), unit: 'MB/s' },
        baseline: { value: median(samples.curl), unit: 'MB/s' },
        target: { kind: 'none' },
        note: 'Both are processes started per upload; the CLI also writes its progress (plain lines here).',
      },
    ];
  });
}

export const clientUploadBench: Bench = (options) =>
  runClientUploadBench(options, options.quick ? QUICK : FULL);

if (require.main === module) {
  printStandalone(runClientUploadBench(STANDALONE_OPTIONS, standaloneSettings(QUICK, FULL)));
}
