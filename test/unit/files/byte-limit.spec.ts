import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileTooLargeError } from '@depot/files';
import { ByteLimit } from '../../../libs/files/src/byte-limit';

async function drain(chunks: Buffer[], max: number): Promise<{ limit: ByteLimit; received: number }> {
  const limit = new ByteLimit(max);
  let received = 0;
  await pipeline(
    Readable.from(chunks),
    limit,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        callback();
      },
    }),
  );
  return { limit, received };
}

describe('ByteLimit', () => {
  it('passes and counts up to the limit exactly', async () => {
    const { limit, received } = await drain([Buffer.alloc(600), Buffer.alloc(400)], 1000);
    expect(limit.bytes).toBe(1000);
    expect(received).toBe(1000);
  });

  it('fails on the chunk that passes the limit, before passing it on', async () => {
    const chunks = [Buffer.alloc(600), Buffer.alloc(401), Buffer.alloc(10_000)];
    await expect(drain(chunks, 1000)).rejects.toBeInstanceOf(FileTooLargeError);
  });

  it('counts an empty stream as zero bytes', async () => {
    expect((await drain([], 10)).limit.bytes).toBe(0);
  });
});
