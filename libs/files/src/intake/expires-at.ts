import { InvalidFileInputError } from '../file.errors';

/**
 * A file's `expiresAt` as a client sends it (a multipart field, tus metadata): an ISO 8601
 * date-time in the future, or {@link InvalidFileInputError} naming `field`.
 */
export function parseExpiresAt(value: string, field = 'expiresAt'): Date {
  const date = /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidFileInputError(field, 'must be an ISO 8601 date-time, e.g. 2030-01-31T12:00:00Z');
  }
  if (date.getTime() <= Date.now()) throw new InvalidFileInputError(field, 'must be in the future');
  return date;
}
