import { setImmediate as tick } from 'node:timers/promises';
import {
  currentLogContext,
  openLogContext,
  openLogContexts,
  withLogContext,
  withSyncLogContext,
} from '@depot/observability';

describe('log context', () => {
  afterEach(() => {
    // Every case closes what it opens: a leak would keep the hooks on for the whole process.
    expect(openLogContexts()).toBe(0);
  });

  it('carries its fields across awaits and timers, merged into an enclosing context', async () => {
    const seen = await withLogContext({ requestId: 'r-1' }, async () => {
      await tick();
      const outer = currentLogContext();
      const inner = await withLogContext({ jobId: 'j-1', queue: 'files' }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return currentLogContext();
      });
      return { outer, inner, after: currentLogContext() };
    });
    expect(seen).toEqual({
      outer: { requestId: 'r-1' },
      inner: { requestId: 'r-1', jobId: 'j-1', queue: 'files' },
      after: { requestId: 'r-1' },
    });
    expect(currentLogContext()).toEqual({});
  });

  it('keeps each of two interleaved contexts to its own work', async () => {
    const read = (requestId: string): Promise<string | undefined> =>
      withLogContext({ requestId }, async () => {
        for (let i = 0; i < 5; i++) await tick();
        return currentLogContext().requestId;
      });
    expect(await Promise.all([read('a'), read('b'), read('c')])).toEqual(['a', 'b', 'c']);
  });

  it('closes a context whose work throws or rejects', async () => {
    expect(() =>
      withLogContext({ requestId: 'sync' }, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    await expect(
      withLogContext({ requestId: 'async' }, async () => {
        await tick();
        throw new Error('later');
      }),
    ).rejects.toThrow('later');
  });

  it('stays open until closed, whatever its first function returned; closing twice counts once', async () => {
    let later: Promise<string | undefined> | undefined;
    const close = openLogContext({ requestId: 'open-1' }, () => {
      later = tick().then(() => currentLogContext().requestId);
    });
    expect(openLogContexts()).toBe(1);
    expect(await later).toBe('open-1');
    close();
    close();
    expect(openLogContexts()).toBe(0);
    // With every context closed, a new one starts from nothing and carries its own fields.
    expect(await withLogContext({ jobId: 'j-2' }, async () => (await tick(), currentLogContext()))).toEqual({
      jobId: 'j-2',
    });
  });

  describe('withSyncLogContext', () => {
    it('carries its fields while its work runs synchronously, and opens no context', async () => {
      let later: Promise<object> | undefined;
      const during = withSyncLogContext({ requestId: 's-1' }, () => {
        expect(openLogContexts()).toBe(0);
        later = tick().then(() => currentLogContext());
        return currentLogContext();
      });
      expect(during).toEqual({ requestId: 's-1' });
      expect(currentLogContext()).toEqual({});
      // Not across an await: that is what the explicit id is passed along for.
      expect(await later).toEqual({});
    });

    it('merges into an enclosing context, either kind, and gives it back', async () => {
      await withLogContext({ requestId: 'r-1', jobId: 'j-1' }, async () => {
        await tick();
        const inner = withSyncLogContext({ requestId: 'r-2' }, () => ({
          own: currentLogContext(),
          nested: withSyncLogContext({ queue: 'files' }, () => currentLogContext()),
        }));
        expect(inner).toEqual({
          own: { requestId: 'r-2', jobId: 'j-1' },
          nested: { requestId: 'r-2', jobId: 'j-1', queue: 'files' },
        });
        expect(currentLogContext()).toEqual({ requestId: 'r-1', jobId: 'j-1' });
      });
    });

    it('is kept by a context opened inside its work, which then wins, also after awaits', async () => {
      const seen = await withSyncLogContext({ requestId: 's-2' }, () =>
        withLogContext({ jobId: 'j-3' }, async () => {
          const first = currentLogContext();
          await tick();
          const afterAwait = currentLogContext();
          const overridden = await withLogContext({ requestId: undefined }, async () => {
            await tick();
            return currentLogContext();
          });
          return { first, afterAwait, overridden };
        }),
      );
      expect(seen).toEqual({
        first: { requestId: 's-2', jobId: 'j-3' },
        afterAwait: { requestId: 's-2', jobId: 'j-3' },
        overridden: { requestId: undefined, jobId: 'j-3' },
      });
    });

    it('gives back the outer fields when its work throws', () => {
      expect(() =>
        withSyncLogContext({ requestId: 's-3' }, () => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(currentLogContext()).toEqual({});
    });
  });
});
