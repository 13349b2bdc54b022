import type { DocStore } from '@meshpad/storage';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * `GET /healthz`: `{ "status": "ok" }` (200) when storage answers, `{ "status": "not ok" }` (503)
 * otherwise. Anyone can call it, so it says nothing more: the cause goes to the log.
 */
async function healthPlugin(app: FastifyInstance, options: { store: DocStore }): Promise<void> {
  app.get('/healthz', async (request, reply) => {
    try {
      await options.store.check();
    } catch (cause) {
      request.log.error({ err: cause }, 'health check: storage is not answering');
      return reply.code(503).send({ status: 'not ok' });
    }
    return { status: 'ok' };
  });
}

export default fp(healthPlugin, { name: 'meshpad-health', fastify: '5.x' });
