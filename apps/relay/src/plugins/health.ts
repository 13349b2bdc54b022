import type { DocStore } from '@meshpad/storage';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** `GET /healthz`: 200 when storage answers, 503 with the cause otherwise. */
async function healthPlugin(app: FastifyInstance, options: { store: DocStore }): Promise<void> {
  app.get('/healthz', async (request, reply) => {
    try {
      await options.store.check();
    } catch (cause) {
      request.log.error({ err: cause }, 'health check: storage is not answering');
      return reply.code(503).send({ status: 'error', storage: (cause as Error).message });
    }
    return { status: 'ok', storage: 'ok', rooms: app.rooms.size };
  });
}

export default fp(healthPlugin, { name: 'meshpad-health', fastify: '5.x', dependencies: ['meshpad-sync'] });
