import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { FilesConfig } from '@depot/config';
import { currentLogContext, withLogContext } from '@depot/observability';
import type { BatchOutcome } from '@depot/queue';
import { type Disk, FileNotFoundError, sharedBuffers, StorageService } from '@depot/storage';
import { WebhookEventsService } from '@depot/webhooks';
import { type ContentInspection, inspectContent, SNIFF_BYTES } from './content-inspection';
import { isTypeAccepted } from './content-type';
import type { FileEntity } from './entities/file.entity';
import { incomingKey, storedKey } from './file.keys';
import { BucketEntity } from './buckets/bucket.entity';
import { FileViewsService } from './file-views.service';
import { type FileVerdict, FilesRepository } from './files.repository';

/** What processing a file came to; logged by the worker. */
export type ProcessOutcome =
  | 'ready'
  | 'failed'
  /** Already ready or failed: a repeat job, nothing changed. */
  | 'unchanged'
  /** Deleted before or while it was processed: its bytes were removed. */
  | 'deleted'
  /** No such row (its tenant was removed): nothing to do. */
  | 'missing';

interface Verdict {
  status: 'ready' | 'failed';
  failureReason: string | null;
  inspection: ContentInspection | null;
}

/**
 * The worker's side of the lifecycle. `process` checks an upload and makes it ready or
 * failed; `purge` removes a deleted file's bytes. Both are idempotent: a job that runs
 * twice, or again after a crash at any step, ends exactly as a single run would.
 *
 * `process`, step by step, and why each step is safe to repeat:
 * 1. a file already ready or failed is left as it is;
 * 2. the object is looked for in `incoming/`, then in `files/` (a crash between the move
 *    and the row update leaves it there);
 * 3. its bytes are read once: SHA-256, size, type sniffed from the magic bytes;
 * 4. the object is moved to `files/` (a refused file's too: it is never served, and goes
 *    when the file is deleted or expires);
 * 5. the row is set to ready or failed (only if it is still pending or processing), in one
 *    transaction with the `file.ready` / `file.failed` webhook deliveries when the tenant
 *    has endpoints for the event; they are dispatched after commit. If the row was deleted
 *    meanwhile, the bytes are removed; if another run of the same job settled it first,
 *    its result stands and the bytes stay.
 *
 * Errors: storage or database failures are thrown and retried by the queue with backoff;
 * what retrying cannot fix (the bytes are gone, the content is refused) fails the file.
 *
 * Round trips: a small file's cost is its bookkeeping, not its bytes, so the common path
 * sends two statements (claim with `UPDATE ... RETURNING`; settle with `UPDATE ... RETURNING`)
 * and opens the object without asking first whether it exists. Whether the tenant has an
 * endpoint for the event is known from a per-process cache emptied on every endpoint change
 * (WebhookEventsService.subscribed); only a tenant with endpoints for the event pays for a
 * transaction (`BEGIN`, settle, the endpoints, the deliveries, `COMMIT`).
 *
 * Batches: `processMany` takes the same steps for many files with two statements in all
 * (one claim, one settle), which is what the worker runs `process` jobs through; `process`
 * is a batch of one. The
 * guarantees are the same file by file: each file is moved before it is settled, and its
 * job is completed only once it is settled, so a crash mid-batch leaves every file where
 * one of the steps above can pick it up (see processMany).
 */
@Injectable()
export class FileProcessingService {
  constructor(
    private readonly files: FilesRepository,
    @InjectRepository(BucketEntity) private readonly buckets: Repository<BucketEntity>,
    private readonly config: FilesConfig,
    private readonly storage: StorageService,
    private readonly webhooks: WebhookEventsService,
    private readonly views: FileViewsService,
  ) {}

  async process(fileId: string): Promise<ProcessOutcome> {
    const [outcome] = await this.processMany([{ fileId, requestId: currentLogContext().requestId }], 1);
    if (!outcome!.ok) throw outcome!.error;
    return outcome!.value;
  }

  /**
   * {@link process} for many files at once, with the same outcome for each as `process`
   * alone would have: one statement claims the pending ones (one more reads the others), each
   * file is read, judged and moved (at most `concurrency` at a time), and one statement
   * settles them all, in one transaction with their webhook deliveries when any of their
   * tenants has endpoints for their events (dispatched after commit).
   *
   * Returns one outcome per id, in order. A file's own failure (its storage, an invalid key)
   * is its outcome alone; a failed claim or settle is every unsettled file's.
   *
   * Durability is `process`'s, file by file: each file is moved before it is settled, and the
   * caller completes a file's job only once it has its outcome, so after the settle. A worker
   * killed mid-batch leaves the settled files done, the moved but unsettled ones
   * `processing` with their bytes in `files/` (step 2 finds them there when the job runs
   * again, after the stall check or requeueStuck hands it back), and the rest where they
   * were: nothing is lost, and at most the batch's files are processed again.
   */
  async processMany(
    files: readonly FileToProcess[],
    concurrency: number,
  ): Promise<Array<BatchOutcome<ProcessOutcome>>> {
    const requestIds = new Map<string, string | undefined>();
    for (const { fileId, requestId } of files) if (!requestIds.has(fileId)) requestIds.set(fileId, requestId);
    const ids = [...requestIds.keys()];
    const claimed = await this.files.claimPendingMany(ids);
    const others = await this.files.byIds(ids.filter((id) => !claimed.has(id)));
    const outcomes = new Map<string, BatchOutcome<ProcessOutcome>>();
    const examined: Array<{ file: FileEntity; examination: Examination }> = [];
    await forEachLimited(ids, concurrency, async (id) => {
      try {
        const file = claimed.get(id)?.file ?? others.get(id) ?? null;
        const taken = await this.take(file);
        if (typeof taken === 'string') {
          outcomes.set(id, { ok: true, value: taken });
          return;
        }
        const examination = await this.examine(taken, claimed.get(id)?.bucketAllowedTypes);
        if (examination === 'deleted') outcomes.set(id, { ok: true, value: 'deleted' });
        else examined.push({ file: taken, examination });
      } catch (error) {
        outcomes.set(id, { ok: false, error });
      }
    });
    try {
      for (const [id, outcome] of await this.settleMany(examined, requestIds))
        outcomes.set(id, { ok: true, value: outcome });
    } catch (error) {
      for (const { file } of examined) outcomes.set(file.id, { ok: false, error });
    }
    return files.map(({ fileId }) => outcomes.get(fileId)!);
  }

  /** The file to examine, or what `process` comes to without examining it. */
  private async take(file: FileEntity | null): Promise<FileEntity | ProcessOutcome> {
    if (!file) return 'missing';
    if (file.status === 'ready' || file.status === 'failed') return 'unchanged';
    if (file.status === 'deleted') {
      const disk = this.storage.disk(file.disk);
      await removeAll(disk, [incomingKey(file.tenantId, file.id), storedKey(file.tenantId, file.id)]);
      return 'deleted';
    }
    return file;
  }

  /**
   * Steps 2 to 4 of `process`: finds the bytes, reads and judges them, moves them to `files/`.
   * `bucketTypes` as the claim returned them; read when not given.
   */
  private async examine(
    file: FileEntity,
    bucketTypes: readonly string[] | undefined,
  ): Promise<Examination | 'deleted'> {
    const disk = this.storage.disk(file.disk);
    const incoming = incomingKey(file.tenantId, file.id);
    const stored = storedKey(file.tenantId, file.id);
    let source: string | undefined;
    let verdict: Verdict;
    // A file of one read needs no second half to read ahead into: small files keep a 1 MiB area.
    const area = file.size !== null && file.size <= READ_BUFFER_BYTES ? READ_BUFFER_BYTES : READ_AREA_BYTES;
    const buffer = sharedBuffers.take(area + SNIFF_BYTES);
    try {
      const opened = await openFirst(disk, [incoming, stored], buffer.subarray(0, area));
      source = opened?.key;
      verdict = opened
        ? this.judge(
            file,
            await inspectContent(opened.chunks, buffer.subarray(area)),
            bucketTypes ?? (await this.bucketTypes(file)),
          )
        : {
            status: 'failed',
            failureReason: 'the uploaded bytes are missing from storage',
            inspection: null,
          };
      // Refused bytes move too: kept out of reach (a failed file is never served) until the
      // file is deleted or expires, and a repeat run finds them where a first run left them.
      if (source === incoming) await disk.move(incoming, stored);
    } catch (error) {
      // Deleted and purged under our feet: nothing left to process.
      if (error instanceof FileNotFoundError && (await this.files.isDeleted(file.id))) {
        await removeAll(disk, [incoming, stored]);
        return 'deleted';
      }
      throw error;
    } finally {
      sharedBuffers.give(buffer);
    }
    return { verdict, hasBytes: source !== undefined };
  }

  /**
   * Removes the bytes of a deleted file, wherever the lifecycle left them, and records
   * `purged_at` (requeueStuck enqueues again the purges of files still without it). Idempotent.
   */
  async purge(file: { fileId: string; tenantId: string; disk: string; storageKey: string }): Promise<void> {
    const disk = this.storage.disk(file.disk);
    await removeAll(disk, [
      file.storageKey,
      incomingKey(file.tenantId, file.fileId),
      storedKey(file.tenantId, file.fileId),
    ]);
    await this.files.markPurged(file.fileId);
  }

  private judge(file: FileEntity, inspection: ContentInspection, bucketTypes: readonly string[]): Verdict {
    if (file.size !== null && inspection.size !== file.size) {
      return {
        status: 'failed',
        failureReason: `stored size ${inspection.size} differs from the ${file.size} bytes received`,
        inspection,
      };
    }
    if (inspection.detectedType && !isTypeAccepted(inspection.detectedType, this.config)) {
      return {
        status: 'failed',
        failureReason: `the content is ${inspection.detectedType}, a type that is not accepted`,
        inspection,
      };
    }
    // The bucket's own list (e.g. `image/*`): a file whose bytes are another type ends failed.
    if (
      inspection.detectedType &&
      bucketTypes.length > 0 &&
      !isTypeAccepted(inspection.detectedType, { allowedTypes: bucketTypes, deniedTypes: [] })
    ) {
      return {
        status: 'failed',
        failureReason: `the content is ${inspection.detectedType}, a type its bucket does not accept`,
        inspection,
      };
    }
    return { status: 'ready', failureReason: null, inspection };
  }

  private async bucketTypes(file: FileEntity): Promise<readonly string[]> {
    if (!file.bucketId) return [];
    const bucket = await this.buckets.findOne({
      select: { allowedTypes: true },
      where: { id: file.bucketId },
    });
    return bucket?.allowedTypes ?? [];
  }

  /**
   * Settles many examined files in one statement; a transaction (with their deliveries) only
   * when some tenant among them has an endpoint for its file's event. The outcome by file id.
   */
  private async settleMany(
    examined: ReadonlyArray<{ file: FileEntity; examination: Examination }>,
    requestIds: ReadonlyMap<string, string | undefined>,
  ): Promise<Map<string, ProcessOutcome>> {
    const outcomes = new Map<string, ProcessOutcome>();
    if (examined.length === 0) return outcomes;
    const verdicts = examined.map(({ file, examination }) => ({
      id: file.id,
      verdict: foundOf(file, examination),
    }));
    // Asked once per tenant and event (the answer is cached per tenant after the first).
    const asked = new Map<string, Promise<boolean>>();
    const subscribed = await Promise.all(
      examined.map(({ file, examination }) => {
        const event = eventOf(examination.verdict);
        const key = `${file.tenantId} ${event}`;
        let answer = asked.get(key);
        if (!answer) asked.set(key, (answer = this.webhooks.subscribed(file.tenantId, event)));
        return answer;
      }),
    );
    const settled = subscribed.some(Boolean)
      ? await this.webhooks.runAndDispatch(async (manager, record) => {
          const rows = await this.files.settleMany(verdicts, manager);
          for (const [index, { file, examination }] of examined.entries()) {
            const row = rows.get(file.id);
            // Its deliveries carry the request id of its own upload, not the batch's first.
            if (row && subscribed[index])
              await withLogContext({ requestId: requestIds.get(file.id) }, () =>
                record(file.tenantId, eventOf(examination.verdict), async () => ({
                  ...(await this.views.one(row, manager)),
                })),
              );
          }
          return rows;
        })
      : await this.files.settleMany(verdicts);
    await Promise.all(
      examined.map(async ({ file, examination }) =>
        outcomes.set(
          file.id,
          settled.has(file.id) ? examination.verdict.status : await this.notSettled(file),
        ),
      ),
    );
    return outcomes;
  }

  /** A file whose settle changed nothing: settled by another run, or deleted meanwhile. */
  private async notSettled(file: FileEntity): Promise<ProcessOutcome> {
    // Another run of the same file (a job delivered twice: a stalled lock, a requeue)
    // settled it first: its result and bytes stand.
    if (!(await this.files.isDeleted(file.id))) return 'unchanged';
    // Deleted while we worked: its purge may already have run, before our move.
    await removeAll(this.storage.disk(file.disk), [
      incomingKey(file.tenantId, file.id),
      storedKey(file.tenantId, file.id),
    ]);
    return 'deleted';
  }
}

/** A file for {@link FileProcessingService.processMany}, with the request id its job carries (its webhook deliveries carry it on). */
export interface FileToProcess {
  fileId: string;
  requestId?: string;
}

/** What examining a file found: its verdict, and whether its bytes are in `files/`. */
interface Examination {
  verdict: Verdict;
  hasBytes: boolean;
}

function eventOf(verdict: Verdict): 'file.ready' | 'file.failed' {
  return verdict.status === 'ready' ? 'file.ready' : 'file.failed';
}

/** The row's side of an examination. */
function foundOf(file: FileEntity, { verdict, hasBytes }: Examination): FileVerdict {
  return {
    status: verdict.status,
    failureReason: verdict.failureReason,
    sha256: verdict.inspection?.sha256 ?? null,
    size: verdict.inspection?.size ?? file.size,
    detectedType: verdict.inspection?.detectedType ?? null,
    storageKey: hasBytes ? storedKey(file.tenantId, file.id) : undefined,
  };
}

/** Runs `work` for each item, at most `limit` at a time. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

/** The first of `keys` that can be opened, with its chunks read into `buffer`; undefined if none exists. */
async function openFirst(
  disk: Disk,
  keys: string[],
  buffer: Buffer,
): Promise<{ key: string; chunks: AsyncIterable<Buffer> } | undefined> {
  for (const key of keys) {
    try {
      return { key, chunks: await disk.scan(key, buffer) };
    } catch (error) {
      if (!(error instanceof FileNotFoundError)) throw error;
    }
  }
  return undefined;
}

/**
 * Size of each read while processing: one read for a file up to this size, which is lent
 * this much. A larger file is lent twice as much ({@link READ_AREA_BYTES}) and read in reads
 * of this size into its two halves in turn, one read ahead of the hash (see Disk.scan).
 * Each buffer comes from the process's pool followed by the sniffed head ({@link SNIFF_BYTES}),
 * so that the sniff does not allocate per file either.
 */
const READ_BUFFER_BYTES = 1024 * 1024;
const READ_AREA_BYTES = 2 * READ_BUFFER_BYTES;

async function removeAll(disk: Disk, keys: string[]): Promise<void> {
  await Promise.all([...new Set(keys)].map((key) => disk.remove(key)));
}
