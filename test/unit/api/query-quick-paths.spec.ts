import { ListFilesQueryDto, UploadQueryDto } from '../../../apps/api/src/files/files.dto';
import { ProblemException } from '../../../apps/api/src/http/problem';
import { createValidationPipe } from '../../../apps/api/src/http/validation.pipe';

/** A query DTO with a quick path (see `QuickQueryDto`). */
interface QuickDto {
  new (): object;
  quick(query: Readonly<Record<string, unknown>>): object | undefined;
}

/** The full class-validator run, as the pipe does it for a DTO without a quick path. */
const withoutQuickPath = (dto: QuickDto): QuickDto =>
  class extends (dto as new () => object) {
    static quick(): undefined {
      return undefined;
    }
  };

const CURSOR = `c${'A'.repeat(43)}`;

/** Bucket names at the edges of their constraint: both queries take a bucket. */
const BUCKET_QUERIES: Array<Record<string, unknown>> = [
  { bucket: 'a' },
  { bucket: 'ab' },
  { bucket: 'a'.repeat(63) },
  { bucket: 'a'.repeat(64) },
  { bucket: 'Bench' },
  { bucket: '' },
  { bucket: 'in voices' },
];

/** A field neither query has, alone and beside a valid one. */
const UNKNOWN_FIELD_QUERIES: Array<Record<string, unknown>> = [
  { other: '1' },
  { bucket: 'bench', other: '1' },
];

/** Valid and invalid queries, near every constraint's edge. */
const LIST_QUERIES: Array<Record<string, unknown>> = [
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
  ...BUCKET_QUERIES,
  { prefix: '' },
  { prefix: 'x'.repeat(255) },
  { prefix: 'x'.repeat(256) },
  { prefix: '\uFE0F' },
  { prefix: '😀'.repeat(200) },
  { q: 'report' },
  { q: '' },
  { q: 'x'.repeat(256) },
  { prefix: ['a', 'b'] },
  ...UNKNOWN_FIELD_QUERIES,
];

/** Valid and invalid upload queries, near the constraint's edges. */
const UPLOAD_QUERIES: Array<Record<string, unknown>> = [
  {},
  { bucket: 'default' },
  { bucket: 'bench' },
  ...BUCKET_QUERIES,
  { bucket: ['a1', 'b2'] },
  ...UNKNOWN_FIELD_QUERIES,
];

const CASES: Array<{
  name: string;
  dto: QuickDto;
  queries: Array<Record<string, unknown>>;
  /** Queries that must take the quick path. */
  common: Array<Record<string, unknown>>;
}> = [
  {
    name: 'list',
    dto: ListFilesQueryDto,
    queries: LIST_QUERIES,
    common: [{ bucket: 'bench', prefix: 'inbox/', limit: '50', cursor: CURSOR }, {}],
  },
  { name: 'upload', dto: UploadQueryDto, queries: UPLOAD_QUERIES, common: [{}, { bucket: 'bench' }] },
];

describe.each(CASES)('the $name query quick path', ({ dto, queries, common }) => {
  const pipe = createValidationPipe();
  const full = withoutQuickPath(dto);

  async function outcome(value: Record<string, unknown>, metatype: QuickDto): Promise<unknown> {
    try {
      return { ok: { ...((await pipe.transform(value, { type: 'query', metatype })) as object) } };
    } catch (error) {
      if (error instanceof ProblemException) return { problem: error.problem };
      throw error;
    }
  }

  it.each(queries.map((query) => [JSON.stringify(query), query]))(
    'answers %s exactly as the full validation does',
    async (_name, query) => {
      expect(await outcome(query, dto)).toEqual(await outcome(query, full));
    },
  );

  it('takes the common queries without the full validation, and never an invalid one', async () => {
    const quick = queries.filter((query) => dto.quick(query) !== undefined);
    expect(quick).toEqual(expect.arrayContaining(common));
    for (const query of quick) {
      await expect(pipe.transform(query, { type: 'query', metatype: full })).resolves.toBeDefined();
    }
    expect(await pipe.transform(common[0], { type: 'query', metatype: dto })).toBeInstanceOf(dto);
  });
});
