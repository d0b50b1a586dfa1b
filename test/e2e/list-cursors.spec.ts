import { loadConfig } from '@depot/config';
import { KeysetCursors } from '@depot/database';
import { AppProcess } from '../support/app-process';
import { bearer, createTenant, type FileJson, type Problem, upload } from '../support/depot-api';

interface FilePage {
  items: FileJson[];
  nextCursor: string | null;
}

/** List cursors are bound to the tenant and the list they came from, and cannot be altered or forged. */
describe('list cursors', () => {
  let api: AppProcess;
  let alice: { tenantId: string; key: string; files: string[] };
  let bob: { tenantId: string; key: string; files: string[] };

  const list = (key: string, query: string) => api.fetch(`/v1/files?${query}`, { headers: bearer(key) });

  beforeAll(async () => {
    api = await AppProcess.startReady('api');
    const tenant = async (name: string, count: number) => {
      const { tenantId, apiKey } = await createTenant(api, name);
      const files: string[] = [];
      for (let index = 0; index < count; index += 1) {
        const response = await upload(api, apiKey.key, new Uint8Array([index]));
        files.push(((await response.json()) as FileJson).id);
      }
      return { tenantId, key: apiKey.key, files };
    };
    // Bob's files are all older than Alice's.
    bob = await tenant('cursor-bob', 3);
    alice = await tenant('cursor-alice', 2);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('pages through the tenant that was handed the cursor', async () => {
    const first = (await (await list(bob.key, 'limit=2')).json()) as FilePage;
    expect(first.items.map((file) => file.id)).toEqual([bob.files[2], bob.files[1]]);
    const second = (await (await list(bob.key, `limit=2&cursor=${first.nextCursor}`)).json()) as FilePage;
    expect(second).toEqual({ items: [expect.objectContaining({ id: bob.files[0] })], nextCursor: null });
  });

  it("refuses another tenant's cursor, and an altered one, with a 400 problem", async () => {
    const { nextCursor } = (await (await list(alice.key, 'limit=1')).json()) as FilePage;
    const altered = `${nextCursor!.slice(0, 10)}${nextCursor![10] === 'A' ? 'B' : 'A'}${nextCursor!.slice(11)}`;
    for (const [key, cursor] of [
      [bob.key, nextCursor!],
      [alice.key, altered],
    ] as const) {
      const response = await list(key, `cursor=${cursor}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await response.json()) as Problem).errors).toEqual([
        { field: 'cursor', message: 'not a cursor this api returned' },
      ]);
    }
  });

  it("finds nothing with a cursor naming another tenant's row, even one signed with the server's secret", async () => {
    // Only someone holding the signing secret could make this: the query itself must still be scoped.
    const { signingSecret } = loadConfig({ env: { ...process.env, APP_ENV: 'test' } }).config.storage;
    const forged = new KeysetCursors([signingSecret]).encode(alice.files[0]!, {
      list: 'files',
      tenantId: bob.tenantId,
    });
    const response = await list(bob.key, `cursor=${forged}`);
    expect(response.status).toBe(200);
    // Unscoped, this would be Bob's files older than Alice's: all three, and a timing oracle.
    expect(await response.json()).toEqual({ items: [], nextCursor: null });
  });
});
