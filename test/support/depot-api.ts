import { loadConfig } from '@depot/config';
import type { DepotFile } from '../../packages/client/src/index.js';
import type { AppProcess } from './app-process';
import { waitFor } from './wait';

/** What these helpers need of a running api: an {@link AppProcess}, or a bench's app. */
export type DepotApi = Pick<AppProcess, 'fetch'>;

/** The test environment's admin key (config/test/auth.yaml). */
export const ADMIN_KEY = loadConfig({ env: { ...process.env, APP_ENV: 'test' } }).config.auth.adminApiKey;

export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

/** A file as the api returns it: the contract's type, as the client package has it. */
export type FileJson = DepotFile;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: Array<{ field: string; message: string }>;
}

export interface IssuedKey {
  id: string;
  key: string;
  prefix: string;
  scopes: string[];
}

/**
 * A tenant and one key for it, made through the api with the admin key (the test
 * environment's unless `adminKey` names another, as a bench's environment does).
 */
export async function createTenant(
  api: DepotApi,
  name: string,
  scopes?: string[],
  adminKey = ADMIN_KEY,
): Promise<{ tenantId: string; apiKey: IssuedKey }> {
  const tenant = await api.fetch('/v1/tenants', {
    method: 'POST',
    headers: { ...bearer(adminKey), 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (tenant.status !== 201)
    throw new Error(`creating a tenant answered ${tenant.status}: ${await tenant.text()}`);
  const { id: tenantId } = (await tenant.json()) as { id: string };
  return { tenantId, apiKey: await issueKey(api, tenantId, scopes, adminKey) };
}

/** Every scope a key can have: what `createTenant` and `issueKey` ask for unless told otherwise. */
export const ALL_SCOPES = ['files:read', 'files:write', 'webhooks:manage'];

export async function issueKey(
  api: DepotApi,
  tenantId: string,
  scopes?: string[],
  adminKey = ADMIN_KEY,
): Promise<IssuedKey> {
  const response = await api.fetch(`/v1/tenants/${tenantId}/api-keys`, {
    method: 'POST',
    headers: { ...bearer(adminKey), 'content-type': 'application/json' },
    body: JSON.stringify({ name: `key ${scopes?.join(' ') ?? 'all'}`, scopes: scopes ?? ALL_SCOPES }),
  });
  if (response.status !== 201)
    throw new Error(`issuing a key answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as IssuedKey;
}

export interface UploadOptions {
  name?: string;
  type?: string;
  idempotencyKey?: string;
  expiresAt?: string;
  /** `?bucket=`; the tenant's `default` when left out. */
  bucket?: string;
  /** Sent as the multipart field `name` (may hold `/` folders), after the file. */
  path?: string;
  /** Sent as the multipart field `metadata`, after the file. */
  metadata?: Record<string, string>;
}

/** `POST /v1/files` with one file part, as a browser form would send it. */
export function upload(
  api: DepotApi,
  key: string,
  bytes: Uint8Array,
  options: UploadOptions = {},
): Promise<Response> {
  const form = new FormData();
  if (options.expiresAt) form.append('expiresAt', options.expiresAt);
  form.append(
    'file',
    new Blob([bytes], { type: options.type ?? 'application/octet-stream' }),
    options.name ?? 'upload.bin',
  );
  if (options.metadata) form.append('metadata', JSON.stringify(options.metadata));
  if (options.path !== undefined) form.append('name', options.path);
  const query = options.bucket === undefined ? '' : `?bucket=${encodeURIComponent(options.bucket)}`;
  return api.fetch(`/v1/files${query}`, {
    method: 'POST',
    headers: {
      ...bearer(key),
      ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
    },
    body: form,
  });
}

export async function getFile(api: DepotApi, key: string, id: string): Promise<FileJson> {
  const response = await api.fetch(`/v1/files/${id}`, { headers: bearer(key) });
  if (response.status !== 200)
    throw new Error(`GET /v1/files/${id}: ${response.status} ${await response.text()}`);
  return (await response.json()) as FileJson;
}

/** Polls a file until its status is one of `statuses` (by default: settled, ready or failed). */
export function waitForStatus(
  api: DepotApi,
  key: string,
  id: string,
  statuses: FileJson['status'][] = ['ready', 'failed'],
  timeoutMs = 15_000,
): Promise<FileJson> {
  return waitFor(`file ${id} to be ${statuses.join(' or ')}`, timeoutMs, async () => {
    const file = await getFile(api, key, id);
    return statuses.includes(file.status) && file;
  });
}
