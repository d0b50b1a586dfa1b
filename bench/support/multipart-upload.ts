import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { patternStream } from './inputs';
import { nowMs } from './timing';

interface UploadResult {
  status: number;
  body: string;
  ms: number;
}

/**
 * POSTs `bytes` of generated content as the one file part of a multipart body, with a
 * Content-Length, as `curl -F` would: the client holds one 1 MiB chunk at a time. The
 * clock runs from the first byte sent to the last byte of the response.
 */
export function postMultipart(
  url: string,
  headers: Record<string, string>,
  bytes: number,
): Promise<UploadResult> {
  const boundary = `bench-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = Readable.from(
    (async function* () {
      yield head;
      yield* patternStream(bytes);
      yield tail;
    })(),
  );
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          ...headers,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + bytes + tail.length),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: nowMs() - started }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    pipeline(body, req).catch(reject);
  });
}
