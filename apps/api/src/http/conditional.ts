const ENTITY_TAG = /(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"/g;

/** The opaque parts of the entity tags in a header value, and whether each is weak. */
function entityTags(header: string): Array<{ weak: boolean; opaque: string }> {
  return [...header.matchAll(ENTITY_TAG)].map((match) => ({
    weak: match[1] !== undefined,
    opaque: match[2]!,
  }));
}

/**
 * `If-None-Match` against the current strong ETag (`"<opaque>"`): true when the client's
 * copy is current, so a GET answers 304. Weak comparison, as RFC 9110 §13.1.2 requires.
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const current = etag.slice(1, -1);
  return entityTags(header).some((tag) => tag.opaque === current);
}

/**
 * `If-Range`: true when the Range may be honoured (no If-Range, or it names the current
 * representation by strong comparison). A date or another tag means: send it all.
 */
export function ifRangeAllows(header: string | undefined, etag: string): boolean {
  if (header === undefined) return true;
  const tags = entityTags(header.trim());
  return tags.length === 1 && !tags[0]!.weak && `"${tags[0]!.opaque}"` === etag;
}
