import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { type DepotFile, fileUrlStorage } from '@depot/client';
import type { Command } from 'commander';
import { clientFor, print, printJson, printJsonArray, take } from '../context.js';
import { safeFileName } from '../file-name.js';
import { UsageError } from '../errors.js';
import { formatBytes, table } from '../format.js';
import { byteRange, collect, duration, isoDate, positiveInteger } from '../options.js';
import { stateDir } from '../profile.js';
import { progressView } from '../progress.js';

const STATUSES = ['pending', 'processing', 'ready', 'failed'] as const;
type ListStatus = (typeof STATUSES)[number];

const fileRow = (file: DepotFile): string[] => [
  file.id,
  file.status,
  file.size === null ? '-' : formatBytes(file.size),
  file.createdAt,
  file.name,
];

export function registerFileCommands(program: Command): void {
  program
    .command('upload')
    .description('upload files, with a progress bar each; large ones resumable (re-run to resume)')
    .argument('<files...>', 'paths of the files')
    .option('--name <name>', 'the name to record (one file only)')
    .option('--type <type>', 'the declared content type')
    .option('--expires-at <date>', 'delete the file automatically at this time', isoDate)
    .option('--bucket <name>', 'the bucket to upload into (default: default)')
    .option('--metadata <key=value>', 'metadata to record (repeatable)', collect, [])
    .option('--resumable', 'always upload through tus (resumable)')
    .option('--no-resumable', 'always upload in one multipart request')
    .option('--wait', 'wait until the worker has processed each file (ready or failed)')
    .option('--json', 'print the uploaded files as JSON')
    .action(async (paths: string[], options: UploadOptions, command: Command) => {
      if (options.name && paths.length > 1) throw new UsageError('--name takes one file');
      const metadata = keyValues(options.metadata);
      for (const path of paths) {
        const info = await stat(path).catch(() => undefined);
        if (!info?.isFile()) throw new UsageError(`not a file: ${path}`);
      }
      const depot = await clientFor(command);
      const state = stateDir();
      await mkdir(state, { recursive: true, mode: 0o700 });
      const urlStorage = fileUrlStorage(join(state, 'uploads.json'));
      const view = progressView(process.stderr, process.stdout);
      const uploaded: DepotFile[] = [];
      try {
        for (const path of paths) {
          const label = options.name ?? basename(path);
          const transfer = view.transfer(label, (await stat(path)).size);
          const file = await depot.files.upload(path, {
            name: options.name,
            contentType: options.type,
            expiresAt: options.expiresAt,
            bucket: options.bucket,
            metadata,
            resumable: options.resumable ?? 'auto',
            urlStorage,
            onProgress: (progress) => transfer.update(progress),
          });
          const result = options.wait ? await depot.files.waitUntilProcessed(file.id) : file;
          uploaded.push(result);
          transfer.done(options.json ? undefined : `uploaded ${label} ${result.id} ${result.status}`);
        }
      } finally {
        view.close();
      }
      if (options.json) printJson(uploaded);
    });

  program
    .command('ls')
    .description('list files, newest first (every page)')
    .option('--status <status>', `only files in this status (${STATUSES.join(', ')})`)
    .option('--bucket <name>', 'only files of this bucket')
    .option('--prefix <prefix>', 'only names starting with this, e.g. invoices/2026/')
    .option('-q, --query <text>', 'only names containing this, any case')
    .option('--limit <n>', 'at most this many', positiveInteger)
    .option('--json', 'JSON for scripts')
    .action(async (options: ListOptions, command: Command) => {
      if (options.status && !STATUSES.includes(options.status as ListStatus)) {
        throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
      }
      const depot = await clientFor(command);
      const files = depot.files.list({
        status: options.status as ListStatus | undefined,
        bucket: options.bucket,
        prefix: options.prefix,
        q: options.query,
        limit: options.limit ? Math.min(options.limit, 100) : undefined,
      });
      if (options.json) {
        await printJsonArray(await take(files, options.limit));
      } else {
        const rows = (await take(files, options.limit)).map(fileRow);
        print(table(['ID', 'STATUS', 'SIZE', 'CREATED', 'NAME'], rows));
      }
    });

  program
    .command('info')
    .description("show a file's metadata and status")
    .argument('<id>')
    .option('--json', 'JSON for scripts')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const file = await (await clientFor(command)).files.get(id);
      if (options.json) return printJson(file);
      print(
        table(
          ['FIELD', 'VALUE'],
          Object.entries(file).map(([field, value]) => [field, value === null ? '-' : String(value)]),
        ),
      );
    });

  program
    .command('get')
    .description("download a file's bytes, with a progress bar")
    .argument('<id>')
    .option('-o, --output <file>', 'where to write (- for stdout); default: the file name, here')
    .option('--range <start-end>', 'only these bytes (inclusive), e.g. 0-1023 or 1024-', byteRange)
    .option('--force', 'overwrite an existing file')
    .action(async (id: string, options: GetOptions, command: Command) => {
      const depot = await clientFor(command);
      const view = progressView(process.stderr, process.stdout);
      let transfer: ReturnType<typeof view.transfer> | undefined;
      try {
        const download = await depot.files.download(id, {
          range: options.range,
          onProgress: (progress) => transfer?.update(progress),
        });
        const body = Readable.fromWeb(download.body as NodeWebStream<Uint8Array>);
        if (options.output === '-') {
          // Not ended: stdout may be a socket shared with the shell and later commands.
          await pipeline(body, process.stdout, { end: false });
          return;
        }
        const target = options.output ?? safeFileName(download.fileName, id);
        if (!options.force && (await stat(target).catch(() => undefined))) {
          body.destroy();
          throw new UsageError(`${target} exists: pass --force to overwrite, or -o another path`);
        }
        transfer = view.transfer(basename(target), download.contentLength);
        // Written beside the target and renamed when complete: never a partial file at the target.
        const partial = `${target}.depot-partial`;
        try {
          await pipeline(body, createWriteStream(partial));
          await rename(partial, target);
        } catch (error) {
          await rm(partial, { force: true });
          throw error;
        }
        transfer.done(`downloaded ${id} to ${target} ${formatBytes((await stat(target)).size)}`);
      } finally {
        view.close();
      }
    });

  program
    .command('rm')
    .description('delete files')
    .argument('<ids...>')
    .action(async (ids: string[], _options: unknown, command: Command) => {
      const depot = await clientFor(command);
      for (const id of ids) {
        await depot.files.delete(id);
        print(`deleted ${id}`);
      }
    });

  program
    .command('link')
    .description('a URL that downloads the file without a key until it expires')
    .argument('<id>')
    .option('--expires <duration>', 'how long it works, e.g. 15m, 1h, 7d (default: the server’s)', duration)
    .option('--json', 'JSON for scripts')
    .action(async (id: string, options: { expires?: number; json?: boolean }, command: Command) => {
      const link = await (await clientFor(command)).files.link(id, { expiresInSeconds: options.expires });
      if (options.json) printJson(link);
      else print(`${link.url}\nexpires ${link.expiresAt}`);
    });

  program
    .command('upload-link')
    .description('a one-use URL that uploads one file without a key (curl -F file=@… URL, or a tus endpoint)')
    .option('--bucket <bucket>', 'the bucket the file goes into (default: default)')
    .option('--name <name>', 'the file’s name, instead of the one the uploader sends')
    .option('--max-size <bytes>', 'the largest file it takes', positiveInteger)
    .option('--type <type>', 'a type it takes, e.g. image/* (repeatable; none: any)', collect, [])
    .option('--expires <duration>', 'how long the link works, e.g. 15m, 1h, 7d (default: 1h)', duration)
    .option('--json', 'JSON for scripts')
    .action(
      async (
        options: {
          bucket?: string;
          name?: string;
          maxSize?: number;
          type: string[];
          expires?: number;
          json?: boolean;
        },
        command: Command,
      ) => {
        const link = await (
          await clientFor(command)
        ).uploadLinks.create({
          bucket: options.bucket,
          name: options.name,
          maxSizeBytes: options.maxSize,
          allowedTypes: options.type.length > 0 ? options.type : undefined,
          expiresInSeconds: options.expires,
        });
        if (options.json) printJson(link);
        else print(`${link.url}\nexpires ${link.expiresAt}`);
      },
    );
}

interface ListOptions {
  status?: string;
  bucket?: string;
  prefix?: string;
  query?: string;
  limit?: number;
  json?: boolean;
}

/** `--metadata k=v` options as an object (undefined when none). */
function keyValues(pairs: string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const entries = pairs.map((pair) => {
    const equals = pair.indexOf('=');
    if (equals < 1) throw new UsageError(`--metadata takes key=value, not ${JSON.stringify(pair)}`);
    return [pair.slice(0, equals), pair.slice(equals + 1)] as const;
  });
  return Object.fromEntries(entries);
}

interface UploadOptions {
  metadata: string[];
  bucket?: string;
  name?: string;
  type?: string;
  expiresAt?: string;
  resumable?: boolean;
  wait?: boolean;
  json?: boolean;
}

interface GetOptions {
  output?: string;
  range?: { start: number; end?: number };
  force?: boolean;
}
