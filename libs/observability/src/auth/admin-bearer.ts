import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer +([\x21-\x7e]{1,512}) *$/i;
const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Whether an `Authorization` header carries the admin key as Bearer, compared in constant
 * time whatever the lengths. For the operator's views that every app serves (readiness
 * details, metrics): the api's tenant keys mean nothing here.
 */
export function isAdminBearer(header: string | undefined, adminApiKey: string): boolean {
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
  return token !== undefined && timingSafeEqual(digest(token), digest(adminApiKey));
}
