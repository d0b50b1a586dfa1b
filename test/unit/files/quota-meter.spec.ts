import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { QuotaExceededError } from '@depot/files';
import { QuotaMeter, RESERVE_STEP_BYTES } from '../../../libs/files/src/usage/quota-meter';

const STEP = RESERVE_STEP_BYTES;
const CHUNK = 64 * 1024;

/**
 * A quota of `quota` bytes held in memory, as the tenant's row holds it: a reservation
 * passes only if it fits. Each reservation answers on a later turn of the event loop, as a
 * database round trip does.
 */
function fakeQuota(quota: number) {
  const state = { used: 0, calls: [] as number[] };
  const reserve = async (bytes: number): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    state.calls.push(bytes);
    if (state.used + bytes > quota) throw new QuotaExceededError('maxBytes', quota);
    state.used += bytes;
  };
  return { state, reserve };
}

/**
 * Streams `total` bytes through a meter; for every chunk it lets through, checks that the
 * bytes passed so far were covered by what the quota had granted at that moment.
 */
async function stream(meter: QuotaMeter, total: number, granted: () => number) {
  let passed = 0;
  let uncovered = 0;
  const chunks = Array.from({ length: Math.ceil(total / CHUNK) }, (_, index) =>
    Buffer.alloc(Math.min(CHUNK, total - index * CHUNK)),
  );
  const result = await pipeline(
    Readable.from(chunks),
    meter,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        passed += chunk.length;
        if (passed > granted()) uncovered += 1;
        callback();
      },
    }),
  ).then(
    () => undefined,
    (error: unknown) => error,
  );
  return { passed, uncovered, error: result };
}

describe('QuotaMeter', () => {
  it('covers every byte before it passes, reserving steps ahead without holding more than 1.5 steps', async () => {
    const { state, reserve } = fakeQuota(Number.MAX_SAFE_INTEGER);
    const meter = new QuotaMeter(reserve);
    const total = 6 * STEP + 12_345;
    const { passed, uncovered, error } = await stream(meter, total, () => state.used);
    expect(error).toBeUndefined();
    expect(passed).toBe(total);
    expect(uncovered).toBe(0);
    // The stream's end waits for a reservation in flight: what is held is what `settled` says.
    expect(await meter.settled()).toBe(state.used);
    expect(state.used).toBeGreaterThanOrEqual(total);
    expect(state.used - total).toBeLessThanOrEqual(1.5 * STEP);
    expect(state.calls.every((bytes) => bytes === STEP)).toBe(true);
  });

  // 300 MiB through the meter: seconds of CPU on a loaded machine, over Jest's 5 s default.
  it('grows its step with the body, to an eighth of what it holds and at most 16 MiB', async () => {
    const { state, reserve } = fakeQuota(Number.MAX_SAFE_INTEGER);
    const meter = new QuotaMeter(reserve);
    const total = 300 * STEP;
    const { uncovered, error } = await stream(meter, total, () => state.used);
    expect(error).toBeUndefined();
    expect(uncovered).toBe(0);
    expect(await meter.settled()).toBe(state.used);
    expect(Math.max(...state.calls)).toBe(16 * STEP);
    expect(state.used - total).toBeLessThanOrEqual(1.5 * 16 * STEP);
    expect(state.calls.length).toBeLessThan(60);
  }, 30_000);

  it('near the quota reserves exactly what arrived, and stops the stream at the quota', async () => {
    const quota = 2 * STEP + 100_000;
    const { state, reserve } = fakeQuota(quota);
    const meter = new QuotaMeter(reserve);
    const { passed, uncovered, error } = await stream(meter, 3 * STEP, () => state.used);
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(uncovered).toBe(0);
    expect(passed).toBeLessThanOrEqual(quota);
    expect(passed).toBeGreaterThan(quota - CHUNK);
    expect(await meter.settled()).toBe(state.used);
    expect(state.used).toBeLessThanOrEqual(quota);
  });

  it('fits a body that ends within the quota exactly', async () => {
    const quota = STEP + 5 * CHUNK;
    const { state, reserve } = fakeQuota(quota);
    const meter = new QuotaMeter(reserve);
    const { passed, error } = await stream(meter, quota, () => state.used);
    expect(error).toBeUndefined();
    expect(passed).toBe(quota);
    expect(await meter.settled()).toBe(quota);
  });
});
