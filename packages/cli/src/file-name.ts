import { basename } from 'node:path';

/** The server's name for the file, reduced to a plain name in this directory. */
export function safeFileName(name: string | undefined, id: string): string {
  const base = basename((name ?? '').replace(/\\/g, '/'));
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '');
  return clean && clean !== '.' && clean !== '..' ? clean : id;
}
