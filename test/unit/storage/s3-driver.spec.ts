import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { type Disk, DriverDisk, FileNotFoundError, loadS3Support, StorageError } from '@depot/storage';

const { createS3Client, S3Driver } = loadS3Support();

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

interface SentCommand {
  command: string;
  input: Record<string, unknown>;
}

/** An S3 disk whose client records every command instead of sending it, answering like S3 would. */
function recordingDisk(answer: (command: object) => unknown = () => ({})): {
  disk: Disk;
  sent: SentCommand[];
} {
  const client: S3Client = createS3Client({
    driver: 's3',
    bucket: 'bucket',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    forcePathStyle: true,
    accessKeyId: 'key',
    secretAccessKey: 'secret',
  });
  const sent: SentCommand[] = [];
  jest.spyOn(client, 'send').mockImplementation(async (command: object) => {
    const { input } = command as { input: Record<string, unknown> };
    const body = input.Body;
    // Record how much of a body was sent, not the bytes themselves.
    const recorded = Buffer.isBuffer(body) ? { ...input, Body: `${body.length} bytes` } : { ...input };
    sent.push({ command: command.constructor.name, input: recorded });
    return answer(command);
  });
  const driver = new S3Driver({ client, bucket: 'bucket', partSize: 5 * MiB, copyConcurrency: 1 });
  return { disk: new DriverDisk('s3', driver), sent };
}

function multipartAnswers(command: object): unknown {
  if (command instanceof CreateMultipartUploadCommand) return { UploadId: 'upload-1' };
  if (command instanceof UploadPartCommand) return { ETag: `"part-${command.input.PartNumber}"` };
  if (command instanceof UploadPartCopyCommand)
    return { CopyPartResult: { ETag: `"copy-${command.input.PartNumber}"` } };
  return {};
}

function streamOf(totalBytes: number, chunkBytes = 256 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let sent = 0; sent < totalBytes; sent += chunkBytes)
        yield Buffer.alloc(Math.min(chunkBytes, totalBytes - sent));
    })(),
  );
}

describe('s3 driver: streaming uploads', () => {
  it('sends a stream of unknown length as a multipart upload, part by part', async () => {
    const { disk, sent } = recordingDisk(multipartAnswers);
    await disk.write('tenants/t1/incoming/f1', streamOf(12 * MiB), {
      contentType: 'image/png',
      metadata: { Tenant: 't1' },
    });

    expect(sent).toEqual([
      {
        command: 'CreateMultipartUploadCommand',
        input: {
          Bucket: 'bucket',
          Key: 'tenants/t1/incoming/f1',
          ContentType: 'image/png',
          Metadata: { tenant: 't1' },
        },
      },
      ...[5 * MiB, 5 * MiB, 2 * MiB].map((bytes, index) => ({
        command: 'UploadPartCommand',
        input: expect.objectContaining({
          Bucket: 'bucket',
          Key: 'tenants/t1/incoming/f1',
          UploadId: 'upload-1',
          PartNumber: index + 1,
          Body: `${bytes} bytes`,
        }),
      })),
      {
        command: 'CompleteMultipartUploadCommand',
        input: expect.objectContaining({
          Bucket: 'bucket',
          Key: 'tenants/t1/incoming/f1',
          UploadId: 'upload-1',
          MultipartUpload: {
            Parts: [1, 2, 3].map((PartNumber) => ({ PartNumber, ETag: `"part-${PartNumber}"` })),
          },
        }),
      },
    ]);
    // Not AWS: no flexible checksums, which S3-compatible servers may store inside the object.
    expect(sent[0].input).not.toHaveProperty('ChecksumAlgorithm');
  });

  it('sends a stream smaller than one part as a single PutObject', async () => {
    const { disk, sent } = recordingDisk();
    await disk.write('small', streamOf(MiB), { contentType: 'text/plain' });
    expect(sent).toEqual([
      {
        command: 'PutObjectCommand',
        input: {
          Bucket: 'bucket',
          Key: 'small',
          ContentType: 'text/plain',
          Metadata: {},
          Body: `${MiB} bytes`,
        },
      },
    ]);
  });

  it('sends bytes it holds as a single PutObject', async () => {
    const { disk, sent } = recordingDisk();
    await disk.write('held', Buffer.from('hello'));
    expect(sent).toEqual([
      {
        command: 'PutObjectCommand',
        input: {
          Bucket: 'bucket',
          Key: 'held',
          ContentType: 'application/octet-stream',
          Metadata: {},
          Body: '5 bytes',
        },
      },
    ]);
  });

  it('aborts the multipart upload when the source stream fails', async () => {
    const { disk, sent } = recordingDisk(multipartAnswers);
    const failing = Readable.from(
      (async function* () {
        yield Buffer.alloc(6 * MiB);
        throw new Error('client went away');
      })(),
    );
    await expect(disk.write('broken', failing)).rejects.toThrow(StorageError);
    const commands = sent.map(({ command }) => command);
    expect(commands).toContain('AbortMultipartUploadCommand');
    expect(commands).not.toContain('CompleteMultipartUploadCommand');
    expect(sent.at(-1)).toEqual({
      command: 'AbortMultipartUploadCommand',
      input: { Bucket: 'bucket', Key: 'broken', UploadId: 'upload-1' },
    });
  });
});

describe('s3 driver: move', () => {
  const head = (size: number) => (command: object) =>
    command instanceof HeadObjectCommand
      ? { ContentLength: size, ContentType: 'video/mp4', Metadata: { tenant: 't1' }, ETag: '"source-etag"' }
      : multipartAnswers(command);

  it('copies an object above 5 GiB part by part (UploadPartCopy), then deletes the source', async () => {
    const size = 6 * GiB + 100;
    const { disk, sent } = recordingDisk(head(size));
    await disk.move('incoming/big file.mp4', 'files/big file.mp4');

    const partSize = 512 * MiB;
    const parts = Math.ceil(size / partSize);
    expect(parts).toBe(13);
    expect(sent).toEqual([
      { command: 'HeadObjectCommand', input: { Bucket: 'bucket', Key: 'incoming/big file.mp4' } },
      {
        command: 'CreateMultipartUploadCommand',
        // A multipart copy does not carry the source's headers: they are set again.
        input: {
          Bucket: 'bucket',
          Key: 'files/big file.mp4',
          ContentType: 'video/mp4',
          Metadata: { tenant: 't1' },
        },
      },
      ...Array.from({ length: parts }, (_, index) => ({
        command: 'UploadPartCopyCommand',
        input: {
          Bucket: 'bucket',
          Key: 'files/big file.mp4',
          UploadId: 'upload-1',
          PartNumber: index + 1,
          CopySource: 'bucket/incoming/big%20file.mp4',
          CopySourceRange: `bytes=${index * partSize}-${Math.min((index + 1) * partSize, size) - 1}`,
          CopySourceIfMatch: '"source-etag"',
        },
      })),
      {
        command: 'CompleteMultipartUploadCommand',
        input: {
          Bucket: 'bucket',
          Key: 'files/big file.mp4',
          UploadId: 'upload-1',
          MultipartUpload: {
            Parts: Array.from({ length: parts }, (_, index) => ({
              PartNumber: index + 1,
              ETag: `"copy-${index + 1}"`,
            })),
          },
        },
      },
      { command: 'DeleteObjectCommand', input: { Bucket: 'bucket', Key: 'incoming/big file.mp4' } },
    ]);
    expect(sent.at(-3)?.input.CopySourceRange).toBe(`bytes=${12 * partSize}-${size - 1}`);
  });

  it('copies an object of 5 GiB or less with one CopyObject', async () => {
    const { disk, sent } = recordingDisk(head(5 * GiB));
    await disk.move('a/[x] ü.bin', 'b/y.bin');
    expect(sent).toEqual([
      { command: 'HeadObjectCommand', input: { Bucket: 'bucket', Key: 'a/[x] ü.bin' } },
      {
        command: 'CopyObjectCommand',
        input: {
          Bucket: 'bucket',
          Key: 'b/y.bin',
          CopySource: 'bucket/a/%5Bx%5D%20%C3%BC.bin',
          MetadataDirective: 'COPY',
        },
      },
      { command: 'DeleteObjectCommand', input: { Bucket: 'bucket', Key: 'a/[x] ü.bin' } },
    ]);
  });

  it('aborts the multipart copy, and keeps the source, when a part fails', async () => {
    const { disk, sent } = recordingDisk((command) => {
      if (command instanceof UploadPartCopyCommand && command.input.PartNumber === 3) {
        throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
          name: 'PreconditionFailed',
          $metadata: { httpStatusCode: 412 },
        });
      }
      return head(6 * GiB)(command);
    });
    await expect(disk.move('src', 'dst')).rejects.toThrow(StorageError);
    const commands = sent.map(({ command }) => command);
    expect(commands.at(-1)).toBe(AbortMultipartUploadCommand.name);
    expect(commands).not.toContain(CompleteMultipartUploadCommand.name);
    expect(commands).not.toContain(DeleteObjectCommand.name);
    // No part starts after the failure.
    expect(commands.filter((command) => command === UploadPartCopyCommand.name)).toHaveLength(3);
  });

  it('reports a missing source as FileNotFoundError, sending nothing else', async () => {
    const { disk, sent } = recordingDisk(() => {
      throw Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    });
    await expect(disk.move('missing', 'dst')).rejects.toBeInstanceOf(FileNotFoundError);
    expect(sent.map(({ command }) => command)).toEqual([HeadObjectCommand.name]);
  });
});
