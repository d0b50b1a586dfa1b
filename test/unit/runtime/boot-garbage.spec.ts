import { setImmediate as tick } from 'node:timers/promises';
import { getHeapCodeStatistics, getHeapSpaceStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fullGc, releaseBootGarbage } from '../../../libs/runtime/src/boot-garbage';

/** A weak reference to an object that nothing else holds. */
function unreferenced(): WeakRef<object> {
  return new WeakRef({ payload: new Array(1000).fill('boot') });
}

/** A function with a large body, compiled by calling it once: its bytecode is tens of KB. */
function compiledFunction(seed: number): () => number {
  const body = Array.from({ length: 3000 }, (_, i) => `s = (s * 31 + ${seed + i}) % 1000003;`).join('\n');
  const fn = new Function(`let s = ${seed};\n${body}\nreturn s;`) as () => number;
  fn();
  return fn;
}

function bytecodeBytes(): number {
  return getHeapCodeStatistics().bytecode_and_metadata_size;
}

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size;
}

/** V8 12 and later (Node 22+) take the last-resort flavor of `gc()`; V8 11 (Node 20) does not. */
const lastResortGc = Number(process.versions.v8.split('.')[0]) >= 12;

describe('releaseBootGarbage', () => {
  it('collects what nothing references any more', async () => {
    const ref = unreferenced();
    // A WeakRef's target is kept until the end of the job that created it.
    await tick();
    releaseBootGarbage();
    expect(ref.deref()).toBeUndefined();
  });

  it('leaves no gc() behind, in this context or in contexts created later', () => {
    releaseBootGarbage();
    expect('gc' in globalThis).toBe(false);
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });

  it('drops the bytecode of functions that ran at boot, which compile again when called', () => {
    const ranAtBoot = [1, 2, 3, 4].map((seed) => compiledFunction(seed * 10_000));
    const expected = ranAtBoot.map((fn) => fn());
    const before = bytecodeBytes();

    releaseBootGarbage();

    // Four functions of about 30 KB of bytecode each; a plain collection keeps them all.
    expect(before - bytecodeBytes()).toBeGreaterThan(60_000);
    expect(ranAtBoot.map((fn) => fn())).toEqual(expected);
  });

  it('leaves V8 flushing bytecode as it does by default after the boot', () => {
    releaseBootGarbage();
    const inUse = [5, 6, 7, 8].map((seed) => compiledFunction(seed * 10_000));
    const before = bytecodeBytes();

    // A plain full collection, as V8 runs one on its own (the test process has no `gc`).
    fullGc()();

    // Recently run functions keep their bytecode through a later collection.
    expect(before - bytecodeBytes()).toBeLessThan(30_000);
    expect(inUse).toHaveLength(4);
  });

  (lastResortGc ? it : it.skip)('gives back the young generation that the boot grew', () => {
    // Churns short-lived objects until V8 grows the young generation, as a boot does.
    let keep: object[] = [];
    for (let i = 0; i < 2e6; i++) {
      keep.push({ i });
      if (keep.length > 1e5) keep = [];
    }
    const MiB = 1024 * 1024;
    expect(newSpaceBytes()).toBeGreaterThan(4 * MiB);

    releaseBootGarbage();

    expect(newSpaceBytes()).toBeLessThanOrEqual(2 * MiB);
  });
});
