import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';
import { freePort } from '../../support/app-launch';
import { AppProcess } from '../../support/app-process';
import { bearer, createTenant, waitForStatus } from '../../support/depot-api';
import { loadClient } from '../../support/depot-client';

const ROOT = join(__dirname, '../../..');
const CHROMIUM = '/usr/bin/chromium';
const itWithChromium = existsSync(CHROMIUM)
  ? it
  : (name: string, fn: jest.ProvidesCallback) => it.skip(`${name} (skipped: no browser at ${CHROMIUM})`, fn);

/** What the page runs: the client as a browser app would import it. */
const PAGE_SCRIPT = `
import { Depot, DepotError } from '@depot/client';

window.depotRun = async (baseUrl, apiKey, text) => {
  const depot = new Depot({ baseUrl, apiKey });
  const progress = [];
  const file = await depot.files.upload(new File([text], 'from-browser.txt', { type: 'text/plain' }), {
    onProgress: ({ bytes }) => progress.push(bytes),
  });
  const listed = [];
  for await (const item of depot.files.list({ limit: 10 })) listed.push(item.id);
  const missing = await depot.files.get('00000000-0000-4000-8000-000000000000').catch((error) => error);
  return {
    file,
    progress,
    listed,
    error: { isDepotError: missing instanceof DepotError, status: missing.status, title: missing.title },
  };
};
`;

/** The browser bundle of @depot/client (the package's `browser` entry), as esbuild makes it. */
function bundle(): Promise<string> {
  return build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: ROOT, loader: 'js', sourcefile: 'page.js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
}

describe('@depot/client in a browser', () => {
  let script: string;

  beforeAll(async () => {
    await loadClient(); // the packages are built
    script = await bundle();
  });

  it('bundles for browsers without any Node module', () => {
    // platform 'browser' fails the build on a Node built-in; this also guards against shims.
    expect(script).not.toMatch(/from\s*["']node:|require\(["'](node:)?(fs|path|stream|crypto)["']\)/);
    expect(script).toContain('depotRun');
  });

  describe('in headless Chromium', () => {
    let api: AppProcess;
    let worker: AppProcess;
    let page: Server;
    let context: BrowserContext | undefined;
    let profile: string;
    let pageUrl: string;

    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) return;
      const port = await freePort();
      pageUrl = `http://127.0.0.1:${port}`;
      page = createServer((request, response) => {
        if (request.url === '/page.js') {
          response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
        } else {
          response
            .writeHead(200, { 'content-type': 'text/html' })
            .end('<!doctype html><title>depot</title><script type="module" src="/page.js"></script>');
        }
      });
      await new Promise<void>((resolve) => page.listen(port, '127.0.0.1', resolve));
      // The page is on another origin than the api: the api must allow it (CORS).
      [api, worker] = await Promise.all([
        AppProcess.startReady('api', { DEPOT__API__CORS__ORIGINS: pageUrl }),
        AppProcess.startReady('worker'),
      ]);
      profile = mkdtempSync(join(tmpdir(), 'depot-chromium-'));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    });
    afterAll(async () => {
      await context?.close();
      await Promise.all([api?.stop(), worker?.stop()]);
      if (page) await new Promise((resolve) => page.close(resolve));
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    itWithChromium(
      'uploads a file to the api across origins, lists it and gets problems as DepotError',
      async () => {
        const { apiKey } = await createTenant(api, 'Browser');
        const tab = await context!.newPage();
        await tab.goto(pageUrl);
        await tab.waitForFunction(() => 'depotRun' in globalThis);
        const text = 'hello from chromium';
        const result = await tab.evaluate(
          ([baseUrl, key, body]) =>
            (globalThis as unknown as { depotRun: (...args: string[]) => Promise<unknown> }).depotRun(
              baseUrl!,
              key!,
              body!,
            ),
          [api.url, apiKey.key, text],
        );
        const { file, progress, listed, error } = result as {
          file: { id: string; name: string; status: string };
          progress: number[];
          listed: string[];
          error: { isDepotError: boolean; status: number; title: string };
        };
        expect(file).toMatchObject({ name: 'from-browser.txt', status: 'pending' });
        expect(progress.at(-1)).toBe(text.length);
        expect(listed).toEqual([file.id]);
        expect(error).toEqual({ isDepotError: true, status: 404, title: 'Not Found' });

        await waitForStatus(api, apiKey.key, file.id);
        const content = await api.fetch(`/v1/files/${file.id}/content`, { headers: bearer(apiKey.key) });
        expect(await content.text()).toBe(text);
      },
    );
  });
});
