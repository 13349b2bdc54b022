import { CloseCode } from '@meshpad/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { Connection } from '../connection.js';
import { hostNameOf, isAllowedOrigin, isLoopbackName } from '../request-origin.js';

export interface OriginGuardOptions {
  /** The relay listens on a loopback address: answer only requests addressed to a loopback name or the public host. */
  readonly loopbackOnly: boolean;
  readonly publicOrigin: string | undefined;
  readonly allowedOrigins: readonly string[] | 'same-host';
}

/** What a client sent after its upgrade request: not needed, as a refused connection is closed unread. */
const NO_HEAD = Buffer.alloc(0);

/**
 * Refuses what a hostile web page could make a browser send. On a loopback bind, any request whose
 * Host is another name (a DNS-rebinding page reaches 127.0.0.1 under its own name) gets 421, and
 * any WebSocket upgrade from a browser origin not allowed is accepted and closed at once with 4403,
 * which the page can tell apart from a network error (a refused upgrade shows only as 1006). Neither
 * reaches a route: no room is loaded and no document byte is sent. Clients that send no Origin
 * (Node, native apps) are not browsers and pass.
 */
async function originGuard(app: FastifyInstance, options: OriginGuardOptions): Promise<void> {
  const publicHost = options.publicOrigin === undefined ? undefined : new URL(options.publicOrigin).hostname;
  const answeredNames = ['localhost', '127.x.x.x', '[::1]', ...(publicHost === undefined ? [] : [publicHost])];
  const allowedDescription =
    options.allowedOrigins === 'same-host'
      ? 'only pages of the host it was addressed to'
      : `only ${options.allowedOrigins.join(', ')} (--allowed-origins)`;

  const misdirected = (host: string | undefined): boolean => {
    if (!options.loopbackOnly) return false;
    const name = hostNameOf(host);
    return name === undefined || !(isLoopbackName(name) || name === publicHost);
  };

  /** A refused connection is sent nothing but its close frame. */
  const REFUSAL_BUFFER_BYTES = 1024;

  function refuseUpgrade(request: FastifyRequest, detail: string): void {
    app.websocketServer.handleUpgrade(request.raw, request.raw.socket, NO_HEAD, (socket: WebSocket) => {
      socket.on('error', (error) => request.log.debug({ err: error }, 'refused WebSocket error'));
      // The path only: a query string may carry a token, which never goes to the log.
      const bindings = { conn: request.id, path: request.url.split('?')[0]! };
      new Connection(socket, app.log, bindings, { maxBufferedBytes: REFUSAL_BUFFER_BYTES }).close(
        CloseCode.Forbidden,
        detail,
      );
    });
  }

  app.addHook('onRequest', async (request, reply) => {
    const { host, origin } = request.headers;
    if (misdirected(host)) {
      const detail = `refused a request for Host "${host}": this relay listens on a loopback address and answers only ${answeredNames.join(', ')} (DNS rebinding); behind a proxy, set --public-origin`;
      if (!request.ws) {
        request.log.warn({ host }, detail);
        return reply.code(421).send({
          error: 'Misdirected Request',
          message: `This relay answers only requests addressed to ${answeredNames.join(', ')}.`,
        });
      }
      reply.hijack();
      refuseUpgrade(request, detail);
      return reply;
    }
    if (request.ws && origin !== undefined && !isAllowedOrigin(origin, host, options.allowedOrigins)) {
      reply.hijack();
      refuseUpgrade(request, `refused a WebSocket from origin "${origin}": the relay allows ${allowedDescription}`);
      return reply;
    }
    return undefined;
  });
}

/** Host (DNS rebinding) and Origin checks on every request, before any route runs. */
export default fp(originGuard, { name: 'meshpad-origin-guard', fastify: '5.x', dependencies: ['@fastify/websocket'] });
