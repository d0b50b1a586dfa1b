import type { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import { AuthConfig } from '@depot/config';
import { withSyncLogContext } from '@depot/observability';
import { ApiKeyAuthenticator, type Principal, secretsEqual } from '@depot/tenancy';

/** The user name Bull Board's HTTP Basic login expects; the password is the admin key. */
export const ADMIN_BASIC_USER = 'admin';

/** Far above any real key; longer values are refused before hashing. */
const MAX_TOKEN_LENGTH = 512;
const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;
const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;

export type CredentialScheme = 'bearer' | 'basic';

/** What a request's `Authorization` header comes to. */
export type Credentials =
  /** No header at all. */
  | { kind: 'none' }
  | { kind: 'valid'; scheme: CredentialScheme; principal: Principal }
  /** A header that authenticates no one: unknown, revoked or malformed key, wrong Basic login. */
  | { kind: 'invalid'; scheme: CredentialScheme | 'other' };

/** The token of an `Authorization: Bearer <token>` header, or undefined for anything else. */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

/** User name and password of an `Authorization: Basic` header, or undefined. */
export function basicLogin(header: string | undefined): { user: string; password: string } | undefined {
  const encoded = header === undefined ? undefined : BASIC.exec(header)?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Reads who a request is, once per request: the rate limiter (which keys budgets by the
 * caller, before routing reaches a handler) and the auth guard ask the same question, and
 * share the one answer and its one database lookup.
 *
 * Bearer carries a tenant key or the admin key. Basic is the queue dashboard's browser
 * login: user `admin`, password the admin key, compared in constant time (the user name
 * too, so neither its content nor its length tells anything).
 */
@Injectable()
export class CredentialsService {
  private readonly answers = new WeakMap<object, Promise<Credentials>>();

  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly auth: AuthConfig,
  ) {}

  of(request: { headers: IncomingHttpHeaders; id?: string }): Promise<Credentials> {
    let answer = this.answers.get(request);
    if (!answer) {
      // With the request's id for what authentication logs, also where the request runs in
      // no log context (see registerRequestContext).
      answer = withSyncLogContext({ requestId: request.id }, () =>
        this.resolve(request.headers.authorization),
      );
      this.answers.set(request, answer);
    }
    return answer;
  }

  private async resolve(header: string | undefined): Promise<Credentials> {
    if (header === undefined) return { kind: 'none' };
    const token = bearerToken(header);
    if (token !== undefined) {
      const principal =
        token.length <= MAX_TOKEN_LENGTH ? await this.authenticator.authenticate(token) : null;
      return principal
        ? { kind: 'valid', scheme: 'bearer', principal }
        : { kind: 'invalid', scheme: 'bearer' };
    }
    const login = basicLogin(header);
    if (login) {
      // Both compared, always: no early exit on a wrong user name.
      const user = secretsEqual(login.user, ADMIN_BASIC_USER);
      const password = secretsEqual(login.password, this.auth.adminApiKey);
      return user && password
        ? { kind: 'valid', scheme: 'basic', principal: { kind: 'admin' } }
        : { kind: 'invalid', scheme: 'basic' };
    }
    return { kind: 'invalid', scheme: 'other' };
  }
}
