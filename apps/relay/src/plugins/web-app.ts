import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { SYNC_PATH } from '@meshpad/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const NOT_BUILT = (webDir: string) =>
  `Meshpad's web app is not built (nothing at ${webDir}). Run "npm start" at the repository root, ` +
  'or build it with "pnpm --filter @meshpad/web build".';

/**
 * Serves the built web app: hashed assets cached for a year, everything else revalidated, and
 * `index.html` for any other page path so `/d/<id>` links open the editor.
 */
async function webAppPlugin(app: FastifyInstance, options: { webDir: string }): Promise<void> {
  const { webDir } = options;
  if (!existsSync(join(webDir, 'index.html'))) {
    app.log.warn(NOT_BUILT(webDir));
    app.get('/', async (_request, reply) => reply.code(503).type('text/plain').send(NOT_BUILT(webDir)));
    return;
  }
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: true,
    index: 'index.html',
    setHeaders(res, path) {
      res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.setNotFoundHandler((request, reply) => {
    const isPage =
      request.method === 'GET' &&
      !request.url.startsWith(`${SYNC_PATH}/`) &&
      !/\.[a-z0-9]+$/i.test(request.url.split('?')[0]!);
    if (isPage) return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    // The path only: a query string may carry a token.
    return reply
      .code(404)
      .send({ error: 'Not Found', message: `${request.method} ${request.url.split('?')[0]} does not exist` });
  });
}

export default fp(webAppPlugin, { name: 'meshpad-web-app', fastify: '5.x' });
