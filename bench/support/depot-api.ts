/** Calls to a running api that benchmarks need to set up their data. */

export interface TenantKey {
  tenantId: string;
  key: string;
}

async function postJson<T>(url: string, bearer: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Creates a tenant and a key with every scope, through the admin api. */
export async function createTenantKey(
  apiUrl: string,
  adminApiKey: string,
  name = 'bench',
): Promise<TenantKey> {
  const tenant = await postJson<{ id: string }>(`${apiUrl}/v1/tenants`, adminApiKey, { name });
  const apiKey = await postJson<{ key: string }>(`${apiUrl}/v1/tenants/${tenant.id}/api-keys`, adminApiKey, {
    name: `${name}-key`,
    scopes: ['files:read', 'files:write', 'webhooks:manage'],
  });
  return { tenantId: tenant.id, key: apiKey.key };
}
