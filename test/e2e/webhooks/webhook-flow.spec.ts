import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '@depot/webhooks';
import { AppProcess } from '../../support/app-process';
import { createTenant } from '../../support/depot-api';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * The whole path, as separate processes: a tenant registers an endpoint on the api, uploads
 * a file and deletes it; the worker processes it and delivers `file.ready` and then
 * `file.deleted`, signed with the endpoint's secret, to a receiver on loopback. The upload's
 * request id follows the file into the worker's delivery log lines.
 */
describe('webhooks, end to end', () => {
  let api: AppProcess;
  let worker: AppProcess;
  const received: Received[] = [];
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.writeHead(204).end();
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    [api, worker] = await Promise.all([AppProcess.startReady('api'), AppProcess.startReady('worker')]);
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await new Promise((resolve) => receiver.close(resolve));
  });

  async function json(
    path: string,
    auth: Record<string, string>,
    init: RequestInit = {},
  ): Promise<Record<string, unknown>> {
    const headers = { ...auth, ...(init.body ? { 'content-type': 'application/json' } : {}) };
    const response = await api.fetch(path, { ...init, headers: { ...headers, ...init.headers } });
    return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
  }

  async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}\n${worker.logs.slice(-4000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('delivers file.ready and file.deleted, signed, with the upload request id in the worker logs', async () => {
    const {
      apiKey: { key },
    } = await createTenant(api, 'Hooked');
    const auth = { authorization: `Bearer ${key}` };
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/depot`;
    const endpoint = await json('/v1/webhooks', auth, {
      method: 'POST',
      body: JSON.stringify({ url, events: ['file.ready', 'file.deleted'] }),
    });
    const secret = endpoint.secret as string;

    const form = new FormData();
    form.append('file', new Blob(['hello, webhooks'], { type: 'text/plain' }), 'hello.txt');
    const uploaded = await api.fetch('/v1/files', {
      method: 'POST',
      headers: { ...auth, 'x-request-id': 'trace-webhook-e2e' },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const file = (await uploaded.json()) as { id: string };

    const ready = await waitFor('file.ready', () =>
      received.find((r) => r.headers['depot-event'] === 'file.ready'),
    );
    expect(await json(`/v1/files/${file.id}`, auth, { method: 'DELETE' })).toEqual({});
    const deleted = await waitFor('file.deleted', () =>
      received.find((r) => r.headers['depot-event'] === 'file.deleted'),
    );

    for (const [event, request] of [
      ['file.ready', ready],
      ['file.deleted', deleted],
    ] as const) {
      expect(
        verifyWebhookSignature(secret, request.headers['depot-signature'] as string, request.body).valid,
      ).toBe(true);
      const body = JSON.parse(request.body) as {
        id: string;
        type: string;
        data: { id: string; status: string };
      };
      expect(body).toMatchObject({
        id: request.headers['depot-delivery'],
        type: event,
        data: { id: file.id },
      });
      expect(body.data.status).toBe(event === 'file.ready' ? 'ready' : 'deleted');
    }

    const deliveries = await waitFor('both deliveries settled', async () => {
      const page = await json(`/v1/webhooks/${endpoint.id as string}/deliveries`, auth);
      const items = page.items as Array<{ event: string; status: string; attempts: number }>;
      return items.every((item) => item.status === 'succeeded') && items.length === 2 ? items : undefined;
    });
    expect(deliveries.map(({ event, status, attempts }) => ({ event, status, attempts }))).toEqual([
      { event: 'file.deleted', status: 'succeeded', attempts: 1 },
      { event: 'file.ready', status: 'succeeded', attempts: 1 },
    ]);

    // One id from the upload request to the webhook it caused. The worker logs the delivery
    // after settling its row, and its output arrives through a pipe: wait for the line.
    const delivered = await waitFor('the delivery logged', () => {
      const lines = worker
        .logLines()
        .filter(
          (line) => line.msg === 'webhook delivered' && line.deliveryId === ready.headers['depot-delivery'],
        );
      return lines.length > 0 ? lines : undefined;
    });
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({
      requestId: 'trace-webhook-e2e',
      queue: 'webhooks',
      event: 'file.ready',
    });
  });
});
