import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { AppProcess } from '../support/app-process';
import { bearer, createTenant, type FileJson, waitForStatus } from '../support/depot-api';

/** Debian's chromium (scripts/install-browser.sh installs it), or the one named by DEPOT_TEST_CHROMIUM. */
const CHROMIUM = [process.env.DEPOT_TEST_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path): path is string => !!path && existsSync(path),
);
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!CHROMIUM) {
  process.stderr.write(
    'docs-browser: SKIPPED, no Chromium found (/usr/bin/chromium). Run scripts/install-browser.sh ' +
      '(Debian: apt-get install chromium), or set DEPOT_TEST_CHROMIUM to a Chromium executable.\n',
  );
}

/** The Swagger UI block of one operation, opened, with "Try it out" on. */
async function tryOut(page: Page, operationId: string): Promise<Locator> {
  const block = page.locator(`[id$="-${operationId}"].opblock`);
  if (!(await block.locator('.opblock-body').isVisible())) await block.locator('.opblock-summary').click();
  const tryButton = block.locator('.try-out__btn:not(.cancel):not(.reset)');
  if (await tryButton.isVisible()) await tryButton.click();
  return block;
}

/** Presses Execute and gives the status the page shows for the live response. */
async function execute(block: Locator): Promise<number> {
  const live = block.locator('.live-responses-table tbody .response-col_status');
  const previous = (await live.count()) > 0 ? await block.locator('.live-responses-table').innerText() : '';
  await block.locator('.execute-wrapper .execute, .btn-group .execute').first().click();
  // Wait for the answer of this request, not the one shown before it.
  await live.first().waitFor();
  await block
    .page()
    .waitForFunction(([element, before]) => !!element && element.innerText !== before, [
      await block.locator('.live-responses-table').elementHandle(),
      previous,
    ] as const);
  return Number((await live.first().innerText()).trim());
}

/** `/docs` as a newcomer uses it, in a real browser, against the real api and worker. */
(CHROMIUM ? describe : describe.skip)('the API explorer at /docs, in headless Chromium', () => {
  let api: AppProcess;
  let worker: AppProcess;
  let context: BrowserContext;
  let profile: string;
  let page: Page;
  let key: string;

  beforeAll(async () => {
    [api, worker] = await Promise.all([AppProcess.startReady('api'), AppProcess.startReady('worker')]);
    key = (await createTenant(api, 'explorer', ['files:read', 'files:write'])).apiKey.key;
    const { chromium } = await import('playwright-core');
    profile = mkdtempSync(join(tmpdir(), 'depot-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
    });
    page = await context.newPage();
    await page.goto(`${api.url}/docs`);
    await page.locator('.opblock').first().waitFor();
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await Promise.all([api?.stop(), worker?.stop()]);
  });

  it('authorizes with a key, lists, uploads with the form as it comes, and fetches the file', async () => {
    await page.locator('.btn.authorize').first().click();
    await page.locator('.modal-ux input[type=text]').fill(key);
    await page.locator('.modal-ux .modal-btn.auth.authorize').click();
    await page.locator('.modal-ux .btn-done').click();

    expect(await execute(await tryOut(page, 'FilesController_list'))).toBe(200);

    // Only the file is chosen: every other field keeps the value the page gave it.
    const upload = await tryOut(page, 'FilesController_upload');
    await upload
      .locator('input[type=file]')
      .setInputFiles({ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from /docs') });
    expect(await execute(upload)).toBe(201);
    const created = JSON.parse(
      await upload.locator('.live-responses-table .response-col_description pre').first().innerText(),
    ) as FileJson;
    expect(created).toMatchObject({ name: 'hello.txt', status: 'pending', expiresAt: null });
    await waitForStatus(api, key, created.id, ['ready']);

    const content = await tryOut(page, 'FilesController_content');
    await content.locator('tr[data-param-name="id"] input').fill(created.id);
    expect(await execute(content)).toBe(200);
    // An attachment: the page offers it for download, with the stored name and size.
    const shown = await content.locator('.live-responses-table').innerText();
    expect(shown).toContain('Download file');
    expect(shown).toMatch(/content-disposition: attachment; filename="hello\.txt"/);
    expect(shown).toMatch(/content-length: 16\b/);
    // The same bytes as through the api itself.
    const direct = await api.fetch(`/v1/files/${created.id}/content`, { headers: bearer(key) });
    expect(await direct.text()).toBe('hello from /docs');
  });

  it('shows each documented error with an example of its own status and problem type', async () => {
    for (const operationId of ['FilesController_upload', 'FilesController_content']) {
      const block = await tryOut(page, operationId);
      const rows = block.locator('table.responses-table:not(.live-responses-table) > tbody > tr.response');
      const examples: Array<{ code: number; status: number; type: string }> = [];
      for (const row of await rows.all()) {
        const code = Number(await row.getAttribute('data-code'));
        if (code < 400) continue;
        const text = await row.locator('.example, .highlight-code').first().innerText();
        const example = JSON.parse(text) as { status: number; type: string };
        examples.push({ code, status: example.status, type: example.type });
      }
      expect(examples.length).toBeGreaterThanOrEqual(4);
      for (const { code, status } of examples)
        expect({ operationId, code, status }).toEqual({ operationId, code, status: code });
      expect(new Set(examples.map((example) => example.status)).size).toBe(examples.length);
    }
  });
});
