// jshttp's content-disposition does this too, but its current major needs Node 22; the
// floor here is 20.19, and the RFC 6266 attachment form is all that is needed.

/** `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266, RFC 8187), safe for any file name. */
export function contentDisposition(fileName: string): string {
  // The quoted form is for old clients: printable ASCII only, with quote and backslash replaced.
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const extended = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return fallback === fileName
    ? `attachment; filename="${fileName}"`
    : `attachment; filename="${fallback}"; filename*=UTF-8''${extended}`;
}
