import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthConfig } from '@depot/config';
import type { ApiKeyAuthenticator, Principal } from '@depot/tenancy';
import {
  AUTH_REQUIREMENT,
  AuthGuard,
  type AuthRequirement,
  bearerToken,
  principalOf,
} from '../../../apps/api/src/http/auth.guard';
import { basicLogin, CredentialsService } from '../../../apps/api/src/http/credentials.service';
import { ProblemException } from '../../../apps/api/src/http/problem';

const TENANT: Principal = { kind: 'tenant', tenantId: 't1', keyId: 'k1', scopes: ['files:read'] };
const KEYS: Record<string, Principal> = { 'admin-key': { kind: 'admin' }, 'tenant-key': TENANT };

function contextFor(requirement: AuthRequirement | undefined, authorization?: string) {
  class Controller {}
  function handler(): void {}
  if (requirement) Reflect.defineMetadata(AUTH_REQUIREMENT, requirement, handler);
  const request = { headers: authorization === undefined ? {} : { authorization } };
  const context = {
    getHandler: () => handler,
    getClass: () => Controller,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

const authenticator = {
  authenticate: jest.fn(async (token: string) => KEYS[token] ?? null),
} as unknown as ApiKeyAuthenticator;
const ADMIN_API_KEY = 'admin-key';
const credentials = new CredentialsService(authenticator, { adminApiKey: ADMIN_API_KEY } as AuthConfig);
const guard = new AuthGuard(new Reflector(), credentials);
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function refusal(requirement: AuthRequirement, authorization?: string): Promise<ProblemException> {
  const { context } = contextFor(requirement, authorization);
  try {
    await guard.canActivate(context);
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('the guard let the request through');
}

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
  ])('reads %p', (header, token) => expect(bearerToken(header)).toBe(token));

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'Bearerabc', 'Bearer \u00e9'])(
    'refuses %p',
    (header) => expect(bearerToken(header)).toBeUndefined(),
  );
});

describe('CredentialsService', () => {
  const of = (authorization?: string) =>
    credentials.of({ headers: authorization === undefined ? {} : { authorization } });

  it('reads the same key however the Bearer header is spelled', async () => {
    for (const header of ['Bearer tenant-key', 'bearer tenant-key', 'BEARER   tenant-key ']) {
      expect(await of(header)).toEqual({ kind: 'valid', scheme: 'bearer', principal: TENANT });
    }
  });

  it('takes Basic only as user admin with the admin key, and says which scheme failed', async () => {
    expect(await of(basic('admin', ADMIN_API_KEY))).toEqual({
      kind: 'valid',
      scheme: 'basic',
      principal: { kind: 'admin' },
    });
    // The user name counts: it used to be ignored.
    expect(await of(basic('mallory', ADMIN_API_KEY))).toEqual({ kind: 'invalid', scheme: 'basic' });
    expect(await of(basic('admin', 'wrong'))).toEqual({ kind: 'invalid', scheme: 'basic' });
    expect(await of(basic('admin', `${ADMIN_API_KEY}x`))).toEqual({ kind: 'invalid', scheme: 'basic' });
    expect(await of('Bearer nope')).toEqual({ kind: 'invalid', scheme: 'bearer' });
    expect(await of('Token abc')).toEqual({ kind: 'invalid', scheme: 'other' });
    expect(await of()).toEqual({ kind: 'none' });
  });

  it('authenticates once per request, however often it is asked', async () => {
    const request = { headers: { authorization: 'Bearer tenant-key' } };
    const calls = (authenticator.authenticate as jest.Mock).mock.calls.length;
    await credentials.of(request);
    await credentials.of(request);
    expect((authenticator.authenticate as jest.Mock).mock.calls.length).toBe(calls + 1);
  });

  it.each([
    ['Basic YWRtaW46cGFzczpwYXJ0', { user: 'admin', password: 'pass:part' }],
    ['basic YTpi', { user: 'a', password: 'b' }],
  ])('reads Basic %p', (header, login) => expect(basicLogin(header)).toEqual(login));

  it.each(['Basic', 'Basic bm9jb2xvbg==', 'Basic !!!'])('refuses Basic %p', (header) =>
    expect(basicLogin(header)).toBeUndefined(),
  );
});

describe('AuthGuard', () => {
  const files: AuthRequirement = { kind: 'scopes', scopes: ['files:read'] };

  it('admits the right caller and remembers who it is', async () => {
    const { context, request } = contextFor(files, 'Bearer tenant-key');
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(principalOf(request as never)).toEqual(TENANT);
    const admin = contextFor({ kind: 'admin' }, 'Bearer admin-key');
    await expect(guard.canActivate(admin.context)).resolves.toBe(true);
  });

  it('answers 401 with a Bearer challenge without a key or with an unknown one', async () => {
    const missing = await refusal(files);
    expect(missing.problem.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="depot"');
    const unknown = await refusal(files, 'Bearer nope');
    expect(unknown.problem.status).toBe(401);
    expect(unknown.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect((await refusal(files, 'Basic dXNlcjpwYXNz')).problem.status).toBe(401);
    // The dashboard's Basic login is not an api credential, even with the admin key.
    expect((await refusal({ kind: 'admin' }, basic('admin', ADMIN_API_KEY))).problem.status).toBe(401);
    expect((await refusal(files, `Bearer ${'x'.repeat(600)}`)).problem.status).toBe(401);
  });

  it('answers 403 for a missing scope, a tenant key on an admin route, and the admin key on a tenant route', async () => {
    const scope = await refusal({ kind: 'scopes', scopes: ['files:write'] }, 'Bearer tenant-key');
    expect(scope.problem).toMatchObject({ status: 403, type: 'urn:depot:problem:insufficient-scope' });
    expect(scope.headers['www-authenticate']).toMatch(/error="insufficient_scope", scope="files:write"/);
    expect((await refusal({ kind: 'admin' }, 'Bearer tenant-key')).problem.status).toBe(403);
    const admin = await refusal(files, 'Bearer admin-key');
    expect(admin.problem).toMatchObject({ status: 403, detail: expect.stringMatching(/owns no files/) });
  });

  it('lets public routes through without a key', async () => {
    await expect(guard.canActivate(contextFor({ kind: 'public' }).context)).resolves.toBe(true);
  });

  it("reads a handler inherited by two controllers under each controller's own requirement", async () => {
    // The guard remembers requirements per handler and class: one inherited handler, two classes.
    class Base {
      handle(): void {}
    }
    class AdminOnlyController extends Base {}
    class PublicController extends Base {}
    Reflect.defineMetadata(AUTH_REQUIREMENT, { kind: 'admin' }, AdminOnlyController);
    Reflect.defineMetadata(AUTH_REQUIREMENT, { kind: 'public' }, PublicController);
    const contextOf = (type: object) =>
      ({
        getHandler: () => Base.prototype.handle,
        getClass: () => type,
        switchToHttp: () => ({ getRequest: () => ({ headers: {} }) }),
      }) as unknown as ExecutionContext;
    for (let round = 0; round < 2; round++) {
      await expect(guard.canActivate(contextOf(PublicController))).resolves.toBe(true);
      await expect(guard.canActivate(contextOf(AdminOnlyController))).rejects.toBeInstanceOf(
        ProblemException,
      );
    }
  });

  it('fails closed on a guarded route that declares no requirement', async () => {
    await expect(guard.canActivate(contextFor(undefined, 'Bearer admin-key').context)).rejects.toThrow(
      /declares no @AdminOnly\(\), @RequireScopes\(\) or @Public\(\)/,
    );
  });
});
