import { setImmediate as tick } from 'node:timers/promises';
import { runInNewContext } from 'node:vm';
import { releaseBootGarbage } from '../../../libs/runtime/src/boot-garbage';

/** A weak reference to an object that nothing else holds. */
function unreferenced(): WeakRef<object> {
  return new WeakRef({ payload: new Array(1000).fill('boot') });
}

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
});
