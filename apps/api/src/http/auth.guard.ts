/**
 * Authentication and scopes for the api's routes.
 *
 * How to use it: put one of these on a controller class or a handler, and import
 * `AuthModule` (./auth.module) in the module that declares the controller.
 *
 *   @AdminOnly()                      the operator's key (`auth.adminApiKey`) only
 *   @RequireScopes('files:read')      a tenant key holding every listed scope
 *   @Public()                         no key at all (health, signed downloads)
 *
 * Read the caller with `@CurrentPrincipal() principal: Principal` (admin or tenant), or
 * `@CurrentTenant() tenant: TenantPrincipal` on `@RequireScopes` routes. Scope tenant
 * data by `tenant.tenantId` in every query, and answer 404 for another tenant's rows.
 *
 * What callers see: no key, or an unknown, malformed or revoked one, is a 401 with
 * `WWW-Authenticate: Bearer`; a valid key without the scope, or a tenant key on an admin
 * route (and the admin key on a tenant route: it owns no files), is a 403. Each
 * decorator also documents the bearer scheme and those responses in OpenAPI.
 *
 * A route protected by this guard but carrying none of the decorators fails closed: the
 * guard refuses it with a 500 naming the handler, so a forgotten decorator is found by
 * the first request rather than by an attacker.
 */
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { type ApiKeyScope, hasScopes, type Principal } from '@depot/tenancy';
import { CredentialsService } from './credentials.service';
import { ProblemException } from './problem';

export { bearerToken } from './credentials.service';

export type AuthRequirement =
  { kind: 'public' } | { kind: 'admin' } | { kind: 'scopes'; scopes: ApiKeyScope[] };

export const AUTH_REQUIREMENT = Symbol('depot:auth-requirement');

const REALM = 'Bearer realm="depot"';

/** The principal each authenticated request carries, without reshaping Fastify's request object. */
const principals = new WeakMap<object, Principal>();

/** The caller the guard authenticated for this request, if any. */
export function principalOf(request: FastifyRequest): Principal | undefined {
  return principals.get(request);
}

@Injectable()
export class AuthGuard implements CanActivate {
  /**
   * Each route's requirement by handler, then by class (a handler inherited by two
   * controllers may be under different class decorators): metadata is fixed once the app
   * is built, and reading it through the Reflector on every request is most of the guard's
   * own work.
   */
  private readonly requirements = new WeakMap<object, WeakMap<object, AuthRequirement | undefined>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.requirementOf(context);
    if (!requirement) {
      throw new Error(
        `${context.getClass().name}.${context.getHandler().name} is guarded but declares no @AdminOnly(), @RequireScopes() or @Public()`,
      );
    }
    if (requirement.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const credentials = await this.credentials.of(request);
    // The api's routes take Bearer only (Basic is the queue dashboard's browser login).
    if (credentials.kind === 'none' || credentials.scheme !== 'bearer') {
      throw unauthorized('Send an API key as `Authorization: Bearer <key>`.', REALM);
    }
    if (credentials.kind === 'invalid') {
      throw unauthorized('The API key is unknown or revoked.', `${REALM}, error="invalid_token"`);
    }
    const { principal } = credentials;

    if (requirement.kind === 'admin' && principal.kind !== 'admin') {
      throw new ProblemException({ status: 403, detail: 'This operation needs the admin key.' });
    }
    if (requirement.kind === 'scopes' && !hasScopes(principal, requirement.scopes)) {
      const scopes = requirement.scopes.join(' ');
      throw new ProblemException({
        status: 403,
        kind: 'insufficientScope',
        detail:
          principal.kind === 'admin'
            ? 'The admin key owns no files; use a tenant API key.'
            : `This operation needs the scope${requirement.scopes.length > 1 ? 's' : ''} ${scopes}.`,
        headers: { 'www-authenticate': `${REALM}, error="insufficient_scope", scope="${scopes}"` },
      });
    }
    principals.set(request, principal);
    return true;
  }

  private requirementOf(context: ExecutionContext): AuthRequirement | undefined {
    const handler = context.getHandler();
    const type = context.getClass();
    let byClass = this.requirements.get(handler);
    if (!byClass) {
      byClass = new WeakMap();
      this.requirements.set(handler, byClass);
    }
    if (byClass.has(type)) return byClass.get(type);
    const requirement = this.reflector.getAllAndOverride<AuthRequirement | undefined>(AUTH_REQUIREMENT, [
      handler,
      type,
    ]);
    byClass.set(type, requirement);
    return requirement;
  }
}

function unauthorized(detail: string, challenge: string): ProblemException {
  return new ProblemException({ status: 401, detail, headers: { 'www-authenticate': challenge } });
}
