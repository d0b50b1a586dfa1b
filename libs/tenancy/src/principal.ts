import type { ApiKeyScope } from './entities/api-key.entity';

/** The operator, authenticated with `auth.adminApiKey`: manages tenants and keys, owns no files. */
export interface AdminPrincipal {
  kind: 'admin';
}

/** A tenant, authenticated with one of its API keys. */
export interface TenantPrincipal {
  kind: 'tenant';
  tenantId: string;
  keyId: string;
  scopes: readonly ApiKeyScope[];
}

/** Who is calling. */
export type Principal = AdminPrincipal | TenantPrincipal;

export function hasScopes(principal: Principal, required: readonly ApiKeyScope[]): boolean {
  return principal.kind === 'tenant' && required.every((scope) => principal.scopes.includes(scope));
}
