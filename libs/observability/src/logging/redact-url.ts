/** Path segments that are bearer tokens themselves: the one after each of these names. */
const TOKEN_SEGMENT = /(\/(?:downloads|upload-links|uploads\/links)\/)[^/?#]+/gi;
/** Query parameters that carry a token or a signature. */
const TOKEN_PARAM =
  /([?&](?:token|signature|sig|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^&#]*/gi;

/**
 * A request URL fit for logs: signed download and upload tokens, which work as credentials
 * until they expire, are replaced by `[redacted]`; the rest is kept for reading logs.
 */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_SEGMENT, '$1[redacted]').replace(TOKEN_PARAM, '$1[redacted]');
}
