import { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';

/**
 * Lets go of the HTTP upgrade request once its WebSocket is open. @fastify/websocket keeps the
 * request, its reply and the stand-in `ServerResponse` alive as long as the socket (through its
 * 'error' listener, and the response stays assigned to the TCP socket): about 2 KB of headers and
 * objects per connection, which matters for a relay holding thousands of idle ones. The caller must
 * add its own 'error' listener right after.
 */
export function releaseUpgradeRequest(socket: WebSocket, request: FastifyRequest): void {
  socket.removeAllListeners('error');
  const tcp = request.raw.socket as (typeof request.raw.socket & { _httpMessage?: unknown }) | null;
  if (tcp?._httpMessage instanceof ServerResponse) tcp._httpMessage.detachSocket(tcp);
}
