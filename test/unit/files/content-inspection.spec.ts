import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { detectType, inspectContent, SNIFF_BYTES } from '../../../libs/files/src/content-inspection';

/** A complete 1x1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');

/** A stream that hands out `data` in chunks of `size`, as a disk would. */
function chunked(data: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += size)
    chunks.push(data.subarray(offset, offset + size));
  return Readable.from(chunks);
}

describe('inspectContent', () => {
  it('gives the SHA-256 and size of every byte, whatever the chunking', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const expected = createHash('sha256').update(data).digest('hex');
    for (const size of [4096, 65_536, 1024 * 1024]) {
      const result = await inspectContent(chunked(data, size));
      expect(result).toMatchObject({ sha256: expected, size: data.length });
    }
  });

  it('sniffs the type from the magic bytes even when they arrive split', async () => {
    expect((await inspectContent(chunked(PNG, 3))).detectedType).toBe('image/png');
    expect((await inspectContent(chunked(PDF, 4))).detectedType).toBe('application/pdf');
  });

  it('detects nothing in plain text, random bytes or an empty stream', async () => {
    expect((await inspectContent(Readable.from([Buffer.from('just some text\n')]))).detectedType).toBeNull();
    expect((await inspectContent(Readable.from([]))).detectedType).toBeNull();
    expect(await detectType(Buffer.alloc(SNIFF_BYTES))).toBeNull();
  });

  it('sniffs into a lent head buffer, reused from file to file, from the current bytes only', async () => {
    const head = Buffer.alloc(SNIFF_BYTES);
    expect((await inspectContent(chunked(PNG, 3), head)).detectedType).toBe('image/png');
    // The PNG's bytes are still at the start of `head`: a short text must not be sniffed through them.
    expect((await inspectContent(Readable.from([Buffer.from('text\n')]), head)).detectedType).toBeNull();
    expect((await inspectContent(Readable.from([]), head)).detectedType).toBeNull();
    expect((await inspectContent(chunked(PDF, 1), head)).detectedType).toBe('application/pdf');
    await expect(inspectContent(Readable.from([]), Buffer.alloc(10))).rejects.toThrow(RangeError);
  });

  it('knows a Windows executable, which the default config denies', async () => {
    const exe = Buffer.concat([Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), Buffer.alloc(4000)]);
    expect(await detectType(exe)).toBe('application/x-msdownload');
  });
});
