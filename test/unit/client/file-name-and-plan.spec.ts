import { safeFileName } from '../../../packages/cli/src/file-name';
import type { OpenedSource } from '../../../packages/client/src/platform';
import { planUpload } from '../../../packages/client/src/upload-plan';

describe('depot get: the local name for a download', () => {
  const id = '0b7e2c1e-6f1a-4c51-9a3e-2f4c1d2b3a4f';

  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['/etc/shadow', 'shadow'],
    ['..\\..\\windows\\win.ini', 'win.ini'],
    ['evil\u0000name\u001b[2J.txt', 'evilname[2J.txt'],
    ['..', id],
    ['.', id],
    ['', id],
    [undefined, id],
  ])('%j is written as %j, in the current folder', (name, expected) => {
    expect(safeFileName(name, id)).toBe(expected);
  });
});

describe('@depot/client: how an upload is sent', () => {
  const MiB = 1024 * 1024;
  const threshold = 16 * MiB;
  const blob = (size: number, type = ''): Extract<OpenedSource, { kind: 'blob' }> => ({
    kind: 'blob',
    blob: new Blob([new Uint8Array(size)], { type }),
    size,
    name: undefined,
  });
  const stream: OpenedSource = {
    kind: 'stream',
    stream: new ReadableStream(),
    size: undefined,
    name: undefined,
  };

  it("'auto' (the default) goes resumable at the threshold and above, multipart below", () => {
    expect(planUpload(blob(threshold - 1), {}, threshold).resumable).toBe(false);
    expect(planUpload(blob(threshold), {}, threshold).resumable).toBe(true);
    expect(planUpload(blob(threshold + 1), { resumable: 'auto' }, threshold).resumable).toBe(true);
  });

  it("'auto' sends a stream of unknown size as multipart, and resumable once its size is given", () => {
    expect(planUpload(stream, {}, threshold)).toMatchObject({ resumable: false, size: undefined });
    expect(planUpload(stream, { size: threshold }, threshold)).toMatchObject({
      resumable: true,
      size: threshold,
    });
  });

  it('true or false forces either way', () => {
    expect(planUpload(blob(1), { resumable: true }, threshold).resumable).toBe(true);
    expect(planUpload(blob(threshold * 2), { resumable: false }, threshold).resumable).toBe(false);
  });

  it("names and types: the caller's, else the source's, else upload.bin and application/octet-stream", () => {
    expect(planUpload(blob(1), {}, threshold)).toMatchObject({
      name: 'upload.bin',
      contentType: 'application/octet-stream',
    });
    expect(planUpload({ ...blob(1, 'text/plain'), name: 'notes.txt' }, {}, threshold)).toMatchObject({
      name: 'notes.txt',
      contentType: 'text/plain',
    });
    expect(
      planUpload(blob(1, 'text/plain'), { name: 'a.csv', contentType: 'text/csv' }, threshold),
    ).toMatchObject({
      name: 'a.csv',
      contentType: 'text/csv',
    });
  });
});
