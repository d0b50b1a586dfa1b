import { contentDisposition } from '@depot/storage';
import { MAX_FILE_NAME_LENGTH, sanitizeFileName } from '../../../libs/files/src/file-name';

describe('sanitizeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['C:\\Users\\me\\report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['  spaced.txt  ', 'spaced.txt'],
    ['tab\there\r\nnewline.txt', 'tabherenewline.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['invoice\u2067fdp.exe\u2069', 'invoicefdp.exe'],
    ['report\u200F.pdf\u200E', 'report.pdf'],
    ['pay\u200Bpal\u200C\u200D.html', 'paypal.html'],
    ['\uFEFFbom\u2060.txt\u061C', 'bom.txt'],
    ['soft\u00ADhyphen\u2028.txt', 'softhyphen.txt'],
    ['', 'file'],
    [undefined, 'file'],
    ['..', 'file'],
    ['dir/', 'file'],
    ['caf\u0065\u0301.txt', 'café.txt'],
  ])('%p is stored as %p', (raw, name) => expect(sanitizeFileName(raw)).toBe(name));

  it('shortens long names to 255 characters and keeps the extension', () => {
    const name = sanitizeFileName(`${'a'.repeat(400)}.tar.gz`);
    expect([...name]).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith('a.gz')).toBe(true);
    const emoji = sanitizeFileName(`${'😀'.repeat(300)}.png`);
    expect([...emoji]).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(emoji.endsWith('.png')).toBe(true);
  });
});

describe('the Content-Disposition sent for a stored name', () => {
  it.each(['plain.txt', 'ré sumé.pdf', 'quote"and\\slash.txt', '日本語.txt', "it's (1).txt", 'tab\tname'])(
    '%p gives a header with no quote breakout and no control characters',
    (raw) => {
      const header = contentDisposition(sanitizeFileName(raw));
      expect(header).toMatch(
        /^attachment; filename="[^"\\]*"(; filename\*=UTF-8''[A-Za-z0-9!#$&+.^_`|~%-]+)?$/,
      );
      // eslint-disable-next-line no-control-regex
      expect(header).not.toMatch(/[\u0000-\u001f\u007f]/);
    },
  );

  it('round-trips a unicode name through filename* (RFC 8187)', () => {
    const header = contentDisposition(sanitizeFileName('ré sumé (final).pdf'));
    const encoded = /filename\*=UTF-8''(.+)$/.exec(header)![1]!;
    expect(decodeURIComponent(encoded)).toBe('ré sumé (final).pdf');
  });
});
