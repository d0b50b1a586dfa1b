/** The column's width; longer names are shortened, keeping their extension. */
export const MAX_FILE_NAME_LENGTH = 255;
const FALLBACK_NAME = 'file';

// C0 and C1 controls, DEL, and the bidirectional overrides that disguise extensions ("exe.pdf").
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A file name safe to store and to hand back in `Content-Disposition`: the last segment of
 * whatever path a client sent (`C:\\Users\\me\\a.txt` is `a.txt`), without control or
 * bidi-override characters, trimmed, at most 255 characters (extension kept), never empty,
 * `.` or `..`.
 */
export function sanitizeFileName(raw: string | undefined): string {
  const base = (raw ?? '').normalize('NFC').split(/[/\\]/).pop()!.replace(UNSAFE, '').trim();
  if (base === '' || base === '.' || base === '..') return FALLBACK_NAME;
  const characters = [...base];
  if (characters.length <= MAX_FILE_NAME_LENGTH) return base;
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 ? [...base.slice(dot)] : [];
  if (extension.length > 16) return characters.slice(0, MAX_FILE_NAME_LENGTH).join('');
  return characters.slice(0, MAX_FILE_NAME_LENGTH - extension.length).join('') + extension.join('');
}
