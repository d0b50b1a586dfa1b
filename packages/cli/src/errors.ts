/** Bad usage: a missing argument or setting. The CLI exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
