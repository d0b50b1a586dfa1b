import { setImmediate as tick } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { currentLogContext, EXPLICIT_LOG_CONTEXT, openLogContexts } from '@depot/observability';
import { registerRequestContext, requestIdOf } from '../../../libs/runtime/src/http-server.options';

/** Handlers that report the log context they see after an await, as the api's services would. */
function server(): FastifyInstance {
  const fastify = Fastify({ genReqId: requestIdOf });
  registerRequestContext(fastify);
  const seen = async (): Promise<{ context: object; open: number }> => {
    await tick();
    return { context: currentLogContext(), open: openLogContexts() };
  };
  fastify.get('/read', seen);
  fastify.post('/write', seen);
  fastify.delete('/write', seen);
  fastify.post('/explicit', { config: EXPLICIT_LOG_CONTEXT }, seen);
  return fastify;
}

describe('request context', () => {
  let fastify: FastifyInstance;
  beforeEach(() => {
    fastify = server();
  });
  afterEach(async () => {
    await fastify.close();
  });

  it.each(['POST', 'DELETE'] as const)(
    'a %s runs in a log context carrying its request id, closed when its response ends',
    async (method) => {
      const response = await fastify.inject({ method, url: '/write', headers: { 'x-request-id': 'w-1' } });
      expect(response.headers['x-request-id']).toBe('w-1');
      expect(response.json()).toEqual({ context: { requestId: 'w-1' }, open: 1 });
      await tick();
      expect(openLogContexts()).toBe(0);
    },
  );

  it('a GET opens none: its id is echoed, and its log lines take it from the request', async () => {
    const response = await fastify.inject({
      method: 'GET',
      url: '/read',
      headers: { 'x-request-id': 'r-1' },
    });
    expect(response.headers['x-request-id']).toBe('r-1');
    expect(response.json()).toEqual({ context: {}, open: 0 });
  });

  it('a write answered while reads run keeps its own id, and closes', async () => {
    const [write, read] = await Promise.all([
      fastify.inject({ method: 'POST', url: '/write', headers: { 'x-request-id': 'w-2' } }),
      fastify.inject({ method: 'GET', url: '/read', headers: { 'x-request-id': 'r-2' } }),
    ]);
    expect(write.json<{ context: object }>().context).toEqual({ requestId: 'w-2' });
    expect(read.json<{ context: object }>().context).toEqual({});
    await tick();
    expect(openLogContexts()).toBe(0);
  });

  it('a write route marked EXPLICIT_LOG_CONTEXT opens none: its id is echoed, for its handler to pass along', async () => {
    const response = await fastify.inject({
      method: 'POST',
      url: '/explicit',
      headers: { 'x-request-id': 'e-1' },
    });
    expect(response.headers['x-request-id']).toBe('e-1');
    expect(response.json()).toEqual({ context: {}, open: 0 });
  });
});
