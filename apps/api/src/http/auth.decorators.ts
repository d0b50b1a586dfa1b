import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { ApiKeyScope, Principal, TenantPrincipal } from '@depot/tenancy';
import { AUTH_REQUIREMENT, AuthGuard, type AuthRequirement, principalOf } from './auth.guard';
import { ApiProblems } from './problem.schema';

function requires(requirement: AuthRequirement, description: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_REQUIREMENT, requirement),
    UseGuards(AuthGuard),
    ApiBearerAuth(),
    ApiProblems(
      401,
      requirement.kind === 'scopes' ? [403, description, 'insufficientScope'] : [403, description],
    ),
  );
}

/** Only the operator's admin key. */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return requires({ kind: 'admin' }, 'The key is not the admin key.');
}

/** A tenant key holding every one of `scopes`. */
export function RequireScopes(...scopes: [ApiKeyScope, ...ApiKeyScope[]]): MethodDecorator & ClassDecorator {
  return requires(
    { kind: 'scopes', scopes },
    `The key lacks the scope${scopes.length > 1 ? 's' : ''} ${scopes.join(', ')}, or is the admin key (which owns no files).`,
  );
}

/** No authentication: for a handler under a guarded controller that anyone may call. */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(AUTH_REQUIREMENT, { kind: 'public' });
}

function authenticated(context: ExecutionContext): Principal {
  const principal = principalOf(context.switchToHttp().getRequest<FastifyRequest>());
  if (!principal) throw new Error('@CurrentPrincipal() needs @AdminOnly() or @RequireScopes() on the route');
  return principal;
}

/** The authenticated caller: `{kind: 'admin'}` or `{kind: 'tenant', tenantId, keyId, scopes}`. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal =>
  authenticated(context),
);

/** The calling tenant, on `@RequireScopes()` routes (where the guard admits tenant keys only). */
export const CurrentTenant = createParamDecorator(
  (_: unknown, context: ExecutionContext): TenantPrincipal => {
    const principal = authenticated(context);
    if (principal.kind !== 'tenant') throw new Error('@CurrentTenant() needs @RequireScopes() on the route');
    return principal;
  },
);
