/** The column's width; longer names are shortened, keeping their extension. */
export const MAX_FILE_NAME_LENGTH = 255;
const FALLBACK_NAME = 'file';

// Controls (Cc: C0, C1, DEL) and invisible format characters (Cf): the bidi overrides,
// embeddings, isolates and marks that disguise extensions ("exe.pdf"), zero-width spaces and
// joiners, the BOM and word joiner that make two names look alike; and the line and
// paragraph separators. (Emoji joined by ZWJ fall apart into their parts: a fair price.)
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

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
