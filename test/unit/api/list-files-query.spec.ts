import { ListFilesQueryDto } from '../../../apps/api/src/files/files.dto';
import { ProblemException } from '../../../apps/api/src/http/problem';
import { createValidationPipe } from '../../../apps/api/src/http/validation.pipe';

/** The full class-validator run, as the pipe does it for a DTO without a quick path. */
class FullListFilesQueryDto extends ListFilesQueryDto {
  static override quick(): undefined {
    return undefined;
  }
}

const CURSOR = `c${'A'.repeat(43)}`;

/** Valid and invalid queries, near every constraint's edge. */
const QUERIES: Array<Record<string, unknown>> = [
  {},
  { bucket: 'bench', prefix: 'inbox/', limit: '50' },
  { bucket: 'bench', prefix: 'inbox/', limit: '50', cursor: CURSOR },
  { limit: '1' },
  { limit: '100' },
  { limit: '101' },
  { limit: '0' },
  { limit: '050' },
  { limit: '1e1' },
  { limit: '2.5' },
  { limit: '-3' },
  { limit: '' },
  { limit: 'ten' },
  { limit: ['10', '20'] },
  { cursor: '' },
  { cursor: 'a'.repeat(100) },
  { cursor: 'a'.repeat(101) },
  { cursor: 'abc=' },
  { cursor: 'abc/def' },
  { status: 'ready' },
  { status: 'uploading' },
  { status: 'deleted' },
  { status: 'READY' },
  { bucket: 'a' },
  { bucket: 'ab' },
  { bucket: 'a'.repeat(63) },
  { bucket: 'a'.repeat(64) },
  { bucket: 'Bench' },
  { bucket: '' },
  { bucket: 'in voices' },
  { prefix: '' },
  { prefix: 'x'.repeat(255) },
  { prefix: 'x'.repeat(256) },
  { prefix: '\uFE0F' },
  { prefix: '😀'.repeat(200) },
  { q: 'report' },
  { q: '' },
  { q: 'x'.repeat(256) },
  { prefix: ['a', 'b'] },
  { other: '1' },
  { bucket: 'bench', other: '1' },
];

describe('the list query quick path', () => {
  const pipe = createValidationPipe();

  async function outcome(
    value: Record<string, unknown>,
    metatype: typeof ListFilesQueryDto,
  ): Promise<unknown> {
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
      expect(await outcome(query, ListFilesQueryDto)).toEqual(await outcome(query, FullListFilesQueryDto));
    },
  );

  it('takes the common queries without the full validation, and never an invalid one', async () => {
    const quick = QUERIES.filter((query) => ListFilesQueryDto.quick(query) !== undefined);
    expect(quick).toEqual(
      expect.arrayContaining([{ bucket: 'bench', prefix: 'inbox/', limit: '50', cursor: CURSOR }, {}]),
    );
    for (const query of quick) {
      await expect(
        pipe.transform(query, { type: 'query', metatype: FullListFilesQueryDto }),
      ).resolves.toBeDefined();
    }
    expect(
      await pipe.transform({ bucket: 'bench', limit: '50' }, { type: 'query', metatype: ListFilesQueryDto }),
    ).toBeInstanceOf(ListFilesQueryDto);
  });
});
