import { PassThrough, Readable } from 'node:stream';
import { webBody } from '../../../apps/api/src/uploads/tus-body';

/** Reads a web stream to its end. */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return chunks;
}

describe('webBody (a tus request body as a web stream)', () => {
  it('hands on the very chunks the request delivered, without copying them', async () => {
    const sent = [Buffer.from('first'), Buffer.from('second')];
    const received = await readAll(webBody(Readable.from(sent, { objectMode: false })));
    expect(received).toHaveLength(2);
    expect(received[0]).toBe(sent[0]);
    expect(received[1]).toBe(sent[1]);
  });

  it('pauses the request while its queue is full, and resumes it when read', async () => {
    const source = new PassThrough({ highWaterMark: 4 });
    const stream = webBody(source);
    source.write(Buffer.alloc(8));
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.isPaused()).toBe(true);

    const reader = stream.getReader();
    await expect(reader.read()).resolves.toMatchObject({ done: false });
    source.end(Buffer.alloc(2));
    await expect(reader.read()).resolves.toMatchObject({ done: false, value: Buffer.alloc(2) });
    await expect(reader.read()).resolves.toMatchObject({ done: true });
  });

  it('errors (an abort) when the request closes before its end', async () => {
    const source = new PassThrough();
    const stream = webBody(source);
    source.write(Buffer.from('part'));
    source.destroy();
    await expect(readAll(stream)).rejects.toMatchObject({
      name: 'AbortError',
      cause: { code: 'ERR_STREAM_PREMATURE_CLOSE' },
    });
  });

  it('destroys the request when the reader cancels', async () => {
    const source = new PassThrough();
    await webBody(source).cancel(new Error('refused'));
    expect(source.destroyed).toBe(true);
  });

  it('passes on an error of the request', async () => {
    const source = new PassThrough();
    const stream = webBody(source);
    source.destroy(new Error('reset'));
    await expect(readAll(stream)).rejects.toThrow('reset');
  });
});
