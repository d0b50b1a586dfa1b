import { ifNoneMatchHits, ifRangeAllows } from '../../../apps/api/src/http/conditional';

const etag = `"${'a'.repeat(64)}"`;

describe('If-None-Match', () => {
  it.each([etag, `W/${etag}`, `"x", ${etag}`, `"x",${etag} , "y"`, '*', ' * '])('%s matches', (header) => {
    expect(ifNoneMatchHits(header, etag)).toBe(true);
  });

  it.each([undefined, '', '"x"', `"${'a'.repeat(63)}"`, 'a'.repeat(64), `"${'A'.repeat(64)}"`])(
    '%p does not match',
    (header) => {
      expect(ifNoneMatchHits(header, etag)).toBe(false);
    },
  );
});

describe('If-Range', () => {
  it('lets the range through without the header or with the current strong tag', () => {
    expect(ifRangeAllows(undefined, etag)).toBe(true);
    expect(ifRangeAllows(etag, etag)).toBe(true);
  });

  it('sends the whole file for another tag, a weak tag or a date', () => {
    expect(ifRangeAllows('"other"', etag)).toBe(false);
    expect(ifRangeAllows(`W/${etag}`, etag)).toBe(false);
    expect(ifRangeAllows('Wed, 21 Oct 2015 07:28:00 GMT', etag)).toBe(false);
  });
});
