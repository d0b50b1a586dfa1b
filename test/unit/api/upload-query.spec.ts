import { UploadQueryDto } from '../../../apps/api/src/files/files.dto';
import { ProblemException } from '../../../apps/api/src/http/problem';
import { createValidationPipe } from '../../../apps/api/src/http/validation.pipe';

/** The full class-validator run, as the pipe does it for a DTO without a quick path. */
class FullUploadQueryDto extends UploadQueryDto {
  static override quick(): undefined {
    return undefined;
  }
}

/** Valid and invalid upload queries, near the constraint's edges. */
const QUERIES: Array<Record<string, unknown>> = [
  {},
  { bucket: 'default' },
  { bucket: 'bench' },
  { bucket: 'a' },
  { bucket: 'ab' },
  { bucket: 'a'.repeat(63) },
  { bucket: 'a'.repeat(64) },
  { bucket: 'Bench' },
  { bucket: '' },
  { bucket: 'in voices' },
  { bucket: ['a1', 'b2'] },
  { other: '1' },
  { bucket: 'bench', other: '1' },
];

describe('the upload query quick path', () => {
  const pipe = createValidationPipe();

  async function outcome(value: Record<string, unknown>, metatype: typeof UploadQueryDto): Promise<unknown> {
    try {
      return { ok: { ...((await pipe.transform(value, { type: 'query', metatype })) as object) } };
    } catch (error) {
      if (error instanceof ProblemException) return { problem: error.problem };
      throw error;
    }
  }

  it.each(QUERIES.map((query) => [JSON.stringify(query), query]))(
    'answers %s exactly as the full validation does',
    async (_name, query) => {
      expect(await outcome(query, UploadQueryDto)).toEqual(await outcome(query, FullUploadQueryDto));
    },
  );

  it('takes the common queries without the full validation, and never an invalid one', async () => {
    const quick = QUERIES.filter((query) => UploadQueryDto.quick(query) !== undefined);
    expect(quick).toEqual(expect.arrayContaining([{}, { bucket: 'bench' }]));
    for (const query of quick) {
      await expect(
        pipe.transform(query, { type: 'query', metatype: FullUploadQueryDto }),
      ).resolves.toBeDefined();
    }
    expect(
      await pipe.transform({ bucket: 'bench' }, { type: 'query', metatype: UploadQueryDto }),
    ).toBeInstanceOf(UploadQueryDto);
  });
});
