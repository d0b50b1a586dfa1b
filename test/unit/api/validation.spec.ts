import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, ValidateNested } from 'class-validator';
import { ProblemException } from '../../../apps/api/src/http/problem';
import { createValidationPipe, nestsDeeperThan } from '../../../apps/api/src/http/validation.pipe';
import { CreateApiKeyDto } from '../../../apps/api/src/tenants/tenants.dto';

class Inner {
  @IsInt()
  @Max(5)
  count!: number;
}

class Outer {
  @IsString()
  name!: string;

  @ValidateNested()
  @Type(() => Inner)
  inner!: Inner;
}

describe('the validation pipe', () => {
  const pipe = createValidationPipe();

  async function problemFor(value: unknown): Promise<ProblemException> {
    try {
      await pipe.transform(value, { type: 'body', metatype: Outer });
    } catch (error) {
      if (error instanceof ProblemException) return error;
      throw error;
    }
    throw new Error('validation passed');
  }

  it('lists every broken constraint with its dotted field', async () => {
    const { problem } = await problemFor({ name: 3, inner: { count: 9 }, extra: true });
    expect(problem.status).toBe(400);
    expect(problem.type).toBe('urn:depot:problem:validation');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'name must be a string' },
        { field: 'inner.count', message: 'count must not be greater than 5' },
        { field: 'extra', message: 'property extra should not exist' },
      ]),
    );
  });

  it('refuses a body that is not an object', async () => {
    for (const value of ['text', 42, [1, 2], null]) {
      expect((await problemFor(value)).problem.status).toBe(400);
    }
  });

  it('passes a valid body through as the DTO class', async () => {
    const value = await pipe.transform({ name: 'a', inner: { count: 1 } }, { type: 'body', metatype: Outer });
    expect(value).toBeInstanceOf(Outer);
  });

  it('answers what it does not validate as ValidationPipe does: custom decorator values and path parameters', async () => {
    const reference = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
    const principal = { kind: 'tenant', tenantId: 't1' };
    const cases: Array<[unknown, ArgumentMetadata]> = [
      [principal, { type: 'custom', metatype: Object }],
      [{ name: 3 }, { type: 'custom', metatype: Outer }],
      ['0190-AB', { type: 'param', metatype: String, data: 'id' }],
      ['42', { type: 'param', metatype: Number, data: 'page' }],
      ['true', { type: 'param', metatype: Boolean, data: 'flag' }],
    ];
    for (const [value, metadata] of cases) {
      expect(await pipe.transform(value, metadata)).toEqual(await reference.transform(value, metadata));
    }
    expect(await pipe.transform(principal, { type: 'custom', metatype: Object })).toBe(principal);
  });
});

describe('nestsDeeperThan', () => {
  it('measures depth without recursion, so no body can overflow the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(nestsDeeperThan(deep, 32)).toBe(true);
    expect(nestsDeeperThan({ a: { b: [1, { c: 2 }] } }, 4)).toBe(false);
    expect(nestsDeeperThan({ a: { b: [1, { c: {} }] } }, 4)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
  });

  it('makes the pipe refuse a body nested too deep', async () => {
    const pipe = createValidationPipe();
    const deep = JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) as unknown;
    await expect(pipe.transform(deep, { type: 'body', metatype: Outer })).rejects.toBeInstanceOf(
      ProblemException,
    );
  });
});

describe('a new API key', () => {
  const pipe = createValidationPipe();
  const validate = (body: unknown) => pipe.transform(body, { type: 'body', metatype: CreateApiKeyDto });

  it.each([[{ name: 'ci' }], [{ name: 'ci', scopes: [] }]])(
    'is refused without the scopes it is for: %p (no default to every scope)',
    async (body) => {
      await expect(validate(body)).rejects.toMatchObject({
        problem: {
          status: 400,
          errors: expect.arrayContaining([expect.objectContaining({ field: 'scopes' })]),
        },
      });
    },
  );

  it('gets exactly the scopes asked for', async () => {
    await expect(validate({ name: 'ci', scopes: ['files:read'] })).resolves.toMatchObject({
      scopes: ['files:read'],
    });
  });
});
