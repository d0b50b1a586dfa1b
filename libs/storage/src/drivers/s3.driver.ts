import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import type {
  ByteRange,
  FileStat,
  ListEntry,
  ListPage,
  SignedUrlOptions,
  WriteBody,
  WriteOptions,
} from '../disk.interface';
import { DEFAULT_CONTENT_TYPE } from '../disk.validation';
import { contentDisposition } from '../links/content-disposition';
import { InvalidRangeError, StorageError } from '../storage.errors';
import type { DriverListOptions, StorageDriver } from './storage-driver.interface';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** S3 refuses a single CopyObject above 5 GiB. */
const MAX_SINGLE_COPY_BYTES = 5 * GiB;
const MAX_PARTS = 10_000;
/** S3 refuses presigned URLs valid for more than a week. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export interface S3DriverOptions {
  client: S3Client;
  bucket: string;
  /** The endpoint, for messages; AWS when absent. */
  endpoint?: string;
  /** Bytes per part of a streamed upload (default 8 MiB; S3's minimum is 5 MiB). */
  partSize?: number;
  /**
   * Parts of a streamed upload in flight at once (default 1). lib-storage assembles each
   * part in a new buffer, so an upload holds about `partSize × (queueSize + 1)`, and as
   * much again in garbage between collections: the defaults keep one upload under 64 MiB
   * of RSS. Raise it for throughput to AWS when memory allows.
   */
  queueSize?: number;
  /** UploadPartCopy requests in flight at once in a multipart copy (default 4; no bytes pass through here). */
  copyConcurrency?: number;
  /** Objects above this size are copied part by part (default, and S3's limit: 5 GiB). */
  multipartCopyThreshold?: number;
  /** Bytes per part of a multipart copy (default 512 MiB). */
  copyPartSize?: number;
  /** The clock presigned URLs are dated with, in milliseconds (tests move it). */
  now?: () => number;
}

/**
 * Objects in an S3 bucket, on AWS or any S3-compatible server. Streams of unknown length are
 * uploaded in parts (lib-storage), so they are never held whole in memory and appear at the
 * key only once complete. Moves are a copy and a delete; objects above 5 GiB are copied
 * part by part.
 */
export class S3Driver implements StorageDriver {
  readonly location: string;
  readonly hint =
    'make sure the S3 endpoint answers, the bucket exists and the credentials may read and write it';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly copyConcurrency: number;
  private readonly multipartCopyThreshold: number;
  private readonly copyPartSize: number;
  private readonly now?: () => number;

  constructor(options: S3DriverOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.location = `bucket "${options.bucket}" at ${options.endpoint ?? 'AWS S3'}`;
    this.partSize = options.partSize ?? 8 * MiB;
    this.queueSize = options.queueSize ?? 1;
    this.copyConcurrency = options.copyConcurrency ?? 4;
    this.multipartCopyThreshold = Math.min(
      options.multipartCopyThreshold ?? MAX_SINGLE_COPY_BYTES,
      MAX_SINGLE_COPY_BYTES,
    );
    this.copyPartSize = options.copyPartSize ?? 512 * MiB;
    this.now = options.now;
  }

  async write(
    key: string,
    body: WriteBody,
    { contentType, metadata }: Required<WriteOptions>,
  ): Promise<void> {
    const params = { Bucket: this.bucket, Key: key, ContentType: contentType, Metadata: metadata };
    if (!(body instanceof Readable)) {
      await this.client.send(new PutObjectCommand({ ...params, Body: body }));
      return;
    }
    // Parts are uploaded as the stream yields them; a failure aborts the multipart upload.
    const upload = new Upload({
      client: this.client,
      params: { ...params, Body: body },
      partSize: this.partSize,
      queueSize: this.queueSize,
    });
    await upload.done();
  }

  async read(key: string): Promise<Buffer> {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return Buffer.from((await Body?.transformToByteArray()) ?? []);
  }

  async readStream(key: string, range: ByteRange | undefined): Promise<Readable> {
    const Range = range && `bytes=${range.start}-${range.end ?? ''}`;
    try {
      // The promise settles on the response status, before any byte of the body is read.
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range }));
      if (!(Body instanceof Readable)) throw new Error('the S3 client did not return a Node stream');
      return Body;
    } catch (error) {
      if (range && errorName(error) === 'InvalidRange') {
        const size = Number((error as { ActualObjectSize?: unknown }).ActualObjectSize);
        throw new InvalidRangeError({
          operation: 'readStream',
          key,
          range,
          size: Number.isSafeInteger(size) ? size : undefined,
          cause: error,
        });
      }
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.head(key);
      return true;
    } catch (error) {
      if (this.isNotFound(error)) return false;
      throw error;
    }
  }

  async stat(key: string): Promise<FileStat> {
    const head = await this.head(key);
    return {
      key,
      size: head.ContentLength ?? 0,
      lastModified: head.LastModified ?? new Date(0),
      contentType: head.ContentType ?? DEFAULT_CONTENT_TYPE,
      etag: head.ETag ?? '""',
      metadata: head.Metadata ?? {},
    };
  }

  async copy(from: string, to: string): Promise<void> {
    const source = await this.head(from);
    if ((source.ContentLength ?? 0) > this.multipartCopyThreshold) {
      await this.copyInParts(from, to, source);
      return;
    }
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: to,
        CopySource: this.copySource(from),
        MetadataDirective: 'COPY',
      }),
    );
  }

  async move(from: string, to: string): Promise<void> {
    await this.copy(from, to);
    await this.remove(from);
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async removePrefix(prefix: string): Promise<void> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken }),
      );
      const objects = (page.Contents ?? []).flatMap(({ Key }) => (Key === undefined ? [] : [{ Key }]));
      if (objects.length > 0) {
        const { Errors = [] } = await this.client.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: objects, Quiet: true } }),
        );
        if (Errors.length > 0) {
          const [{ Key, Code, Message }] = Errors;
          throw new StorageError(
            { operation: 'removePrefix', key: prefix },
            `${Errors.length} object(s) not removed, the first "${Key}": ${Code} ${Message}`,
          );
        }
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);
  }

  async listPage(prefix: string, { deep, limit, cursor }: DriverListOptions): Promise<ListPage> {
    const page = await this.client.send(
      new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: prefix,
        Delimiter: deep ? undefined : '/',
        MaxKeys: limit,
        ContinuationToken: cursor,
      }),
    );
    const files: ListEntry[] = (page.Contents ?? []).flatMap(({ Key, Size, LastModified }) =>
      // Keys ending with "/" are folder markers that other tools create, not files.
      Key === undefined || Key.endsWith('/')
        ? []
        : [{ type: 'file' as const, key: Key, size: Size ?? 0, lastModified: LastModified ?? new Date(0) }],
    );
    const folders: ListEntry[] = (page.CommonPrefixes ?? []).flatMap(({ Prefix }) =>
      Prefix === undefined ? [] : [{ type: 'directory' as const, key: Prefix }],
    );
    const entries = [...files, ...folders].sort((a, b) => (a.key < b.key ? -1 : 1));
    return { entries, cursor: page.IsTruncated ? page.NextContinuationToken : undefined };
  }

  async signedUrl(key: string, { expiresIn, downloadName, contentType }: SignedUrlOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: downloadName === undefined ? undefined : contentDisposition(downloadName),
      ResponseContentType: contentType,
    });
    return getSignedUrl(this.client, command, {
      expiresIn: Math.min(Math.ceil(expiresIn), MAX_PRESIGN_SECONDS),
      signingDate: this.now && new Date(this.now()),
    });
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  isNotFound(error: unknown): boolean {
    const name = errorName(error);
    if (name === 'NoSuchKey' || name === 'NotFound') return true;
    return httpStatus(error) === 404 && name !== 'NoSuchBucket';
  }

  private head(key: string): Promise<HeadObjectCommandOutput> {
    return this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** `bucket/key`, URL-encoded segment by segment, as `x-amz-copy-source` expects. */
  private copySource(key: string): string {
    return `${this.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  /**
   * Copies an object too large for CopyObject: a multipart upload whose parts are ranges of
   * the source (UploadPartCopy), pinned to the source's ETag so that a concurrent overwrite
   * fails the copy instead of mixing two versions. Aborted on any failure.
   */
  private async copyInParts(from: string, to: string, source: HeadObjectCommandOutput): Promise<void> {
    const size = source.ContentLength ?? 0;
    // Multipart copies do not carry the source's headers over: set them on the new upload.
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({
        Bucket: this.bucket,
        Key: to,
        ContentType: source.ContentType,
        Metadata: source.Metadata,
      }),
    );
    try {
      const partSize = Math.max(this.copyPartSize, Math.ceil(size / MAX_PARTS));
      const ranges = Array.from({ length: Math.ceil(size / partSize) }, (_, index) => ({
        PartNumber: index + 1,
        start: index * partSize,
        end: Math.min((index + 1) * partSize, size) - 1,
      }));
      const Parts = await mapConcurrently(
        ranges,
        this.copyConcurrency,
        async ({ PartNumber, start, end }) => {
          const { CopyPartResult } = await this.client.send(
            new UploadPartCopyCommand({
              Bucket: this.bucket,
              Key: to,
              UploadId,
              PartNumber,
              CopySource: this.copySource(from),
              CopySourceRange: `bytes=${start}-${end}`,
              CopySourceIfMatch: source.ETag,
            }),
          );
          return { PartNumber, ETag: CopyPartResult?.ETag };
        },
      );
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: to,
          UploadId,
          MultipartUpload: { Parts },
        }),
      );
    } catch (error) {
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: to, UploadId }))
        .catch(() => undefined); // the copy's own error is the one worth reporting
      throw error;
    }
  }
}

/**
 * Maps items with at most `concurrency` calls in flight, keeping their order. After a
 * failure no new call starts, and the first error is thrown once those in flight settle.
 */
async function mapConcurrently<T, R>(
  items: T[],
  concurrency: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await map(items[index]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const outcomes = await Promise.allSettled(
    Array.from({ length: Math.min(concurrency, items.length) }, worker),
  );
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}
