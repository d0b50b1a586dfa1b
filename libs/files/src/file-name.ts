import { InvalidFileInputError } from './file.errors';

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

/**
 * A name a client sets on purpose (the multipart field `name`, a rename, a copy): like
 * {@link sanitizeFileName}'s result, but `/` separates folders (`invoices/2026/a.pdf`), so
 * that `prefix` lists a folder. Refused, not repaired, when unusable: empty, over 255
 * characters, a control, bidi or backslash character, or an empty, `.` or `..` segment.
 */
export function checkObjectName(raw: string, field = 'name'): string {
  const name = raw.normalize('NFC');
  const refuse = (reason: string): never => {
    throw new InvalidFileInputError(field, reason);
  };
  if (name.length === 0 || [...name].length > MAX_FILE_NAME_LENGTH) {
    refuse(`must be 1 to ${MAX_FILE_NAME_LENGTH} characters`);
  }
  if (new RegExp(UNSAFE.source, 'u').test(name) || name.includes('\\')) {
    refuse('must not contain control, invisible formatting or backslash characters');
  }
  if (name.split('/').some((segment) => segment.trim() === '' || segment === '.' || segment === '..')) {
    refuse('folders are separated by single "/"; no empty, "." or ".." segment, no leading or trailing "/"');
  }
  return name;
}

/** The name a download is saved under: the last segment of the file's name. */
export function downloadName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
