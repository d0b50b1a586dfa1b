import { BufferPool } from '@depot/storage';

describe('BufferPool', () => {
  it('lends a given-back buffer again, only for its own size', () => {
    const pool = new BufferPool(1024);
    const first = pool.take(256);
    expect(first).toHaveLength(256);
    pool.give(first);
    expect(pool.take(128)).not.toBe(first);
    expect(pool.take(256)).toBe(first);
    // Lent out again: the next one is new.
    expect(pool.take(256)).not.toBe(first);
  });

  it('keeps no more idle bytes than its cap', () => {
    const pool = new BufferPool(512);
    const [a, b, c] = [pool.take(256), pool.take(256), pool.take(256)];
    pool.give(a);
    pool.give(b);
    pool.give(c); // over the cap: dropped
    const lent = [pool.take(256), pool.take(256), pool.take(256)];
    expect(lent).toContain(a);
    expect(lent).toContain(b);
    expect(lent).not.toContain(c);
  });
});
